// SPDX-License-Identifier: GPL-3.0-or-later
// The verdict rule on hand-made probabilities and speech amounts: no_speech before anything else (a 50 ms clip is
// never ok), uncertain below the calibrated threshold, ok otherwise; the status spellings; the text lines.
#include "infer/Verdict.h"
#include <QtTest>

using namespace emoscope;

namespace {
// Compared as text: QTest would take emoscope::toString (a static string) for its own toString and free it.
QString status(VerdictStatus s) { return QString::fromLatin1(toString(s)); }
}

class TestVerdict : public QObject {
    Q_OBJECT

private:
    static Calibration calibration(double threshold)
    {
        Calibration c;
        c.uncertainThreshold = threshold;
        c.minSpeechSeconds = 0.3;
        c.minSpeechFraction = 0.1;
        return c;
    }
    const std::vector<float> confident_{0.05f, 0.85f, 0.02f, 0.02f, 0.02f, 0.02f, 0.02f};
    const std::vector<float> split_{0.41f, 0.02f, 0.03f, 0.1f, 0.33f, 0.06f, 0.05f};
    const std::vector<std::string> labels_{"angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"};

private Q_SLOTS:
    void spellings()
    {
        QCOMPARE(QString(toString(VerdictStatus::Ok)), QString("ok"));
        QCOMPARE(QString(toString(VerdictStatus::Uncertain)), QString("uncertain"));
        QCOMPARE(QString(toString(VerdictStatus::NoSpeech)), QString("no_speech"));
    }

    void enoughSpeechAndConfidentIsOk()
    {
        QCOMPARE(status(verdictFor(confident_, 1.2, 0.6, calibration(0.5))), status(VerdictStatus::Ok));
        QCOMPARE(status(verdictFor(split_, 1.2, 0.6, calibration(double(0.41f)))), status(VerdictStatus::Ok)); // at the threshold: ok
    }

    void lowTopProbabilityIsUncertain()
    {
        QCOMPARE(status(verdictFor(split_, 1.2, 0.6, calibration(0.5))), status(VerdictStatus::Uncertain));
        QCOMPARE(status(verdictFor(split_, 1.2, 0.6, calibration(0.0))), status(VerdictStatus::Ok)); // 0 = never uncertain
        QCOMPARE(status(verdictFor({}, 1.2, 0.6, calibration(0.0))), status(VerdictStatus::Uncertain));
    }

    void tooLittleSpeechIsNoSpeechWhateverTheProbabilities()
    {
        // A 50 ms clip: even all of it speech is under 0.3 s.
        QCOMPARE(status(verdictFor(confident_, 0.05, 1.0, calibration(0.0))), status(VerdictStatus::NoSpeech));
        QCOMPARE(status(verdictFor(confident_, 0.29, 0.5, calibration(0.0))), status(VerdictStatus::NoSpeech));
        QCOMPARE(status(verdictFor(confident_, 0.30, 0.5, calibration(0.0))), status(VerdictStatus::Ok));
        // Long clip with a little speech: the fraction decides.
        QCOMPARE(status(verdictFor(confident_, 0.5, 0.05, calibration(0.0))), status(VerdictStatus::NoSpeech));
        QCOMPARE(status(verdictFor(split_, 0.0, 0.0, calibration(0.9))), status(VerdictStatus::NoSpeech)); // before uncertain
    }

    void textLines()
    {
        QCOMPARE(QString::fromStdString(describeVerdict(VerdictStatus::NoSpeech, confident_, labels_)),
                 QString("no speech detected"));
        QCOMPARE(QString::fromStdString(describeVerdict(VerdictStatus::Ok, confident_, labels_)), QString("disgust 85%"));
        QCOMPARE(QString::fromStdString(describeVerdict(VerdictStatus::Uncertain, split_, labels_)),
                 QString::fromUtf8("uncertain — angry 41% · sad 33%"));
        QCOMPARE(topIndices(split_, 3), (std::vector<int>{0, 4, 3}));
    }
};

QTEST_APPLESS_MAIN(TestVerdict)
#include "test_verdict.moc"
