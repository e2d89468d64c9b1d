// SPDX-License-Identifier: GPL-3.0-or-later
// Classifier: probabilities per label summing to 1, the same answer through every entry point, the sliding-window
// timeline's windows and time stamps, batch classification with a bad file among good ones, and verdicts (status
// from voice activity) for a clip, silence, a batch and timeline windows.
#include "ModelTestSupport.h"
#include "audio/AudioDecoder.h"
#include "dsp/LogMelExtractor.h"
#include "infer/Classifier.h"
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <numeric>
#include <thread>

using namespace emoscope;

namespace {

double sum(const std::vector<float>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

} // namespace

class TestClassifier : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    Dataset data_;
    std::shared_ptr<const Classifier> model_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        setComputeThreads(2);
        data_ = testdata::tessSubset(4);
        Trainer t(data_, testdata::allTrain(data_), testdata::tinyOptions(1));
        t.run();
        const std::string path = tmp_.filePath("tiny.pt").toStdString();
        t.saveModel(path);
        model_ = Classifier::load(path);
        QCOMPARE(model_->path(), path);
    }

    void probabilitiesSumToOne()
    {
        for (const auto& c : data_.clips) {
            const auto p = model_->classifyFile(c.path);
            QCOMPARE(p.size(), model_->labels().size());
            QVERIFY(std::abs(sum(p) - 1.0) < 1e-5);
            for (float v : p) QVERIFY(v >= 0 && v <= 1);
        }
    }

    void entryPointsAgree()
    {
        const std::string f = data_.clips.front().path;
        const auto fromFile = model_->classifyFile(f);
        const AudioBuffer audio = loadAudio(f);
        QVERIFY(model_->classify(audio) == fromFile);
        const LogMelExtractor ex(model_->featureConfig());
        QVERIFY(model_->classifyLogMel(ex.logMel(audio.samples.data(), audio.samples.size())) == fromFile);
        // At another sample rate the model resamples to its own: close to, not bit-equal with, the 22,050 Hz result.
        DecodeOptions o;
        o.targetSampleRate = 44100;
        const auto at44k = model_->classify(loadAudio(f, o));
        for (std::size_t i = 0; i < at44k.size(); ++i) QVERIFY(std::abs(at44k[i] - fromFile[i]) < 0.05);
    }

    void shortInputIsPadded()
    {
        // 0.1 s gives 5 frames, fewer than minFrames: padded with the dB floor, still a distribution.
        AudioBuffer a = loadAudio(data_.clips.front().path);
        a.samples.resize(2205);
        const auto p = model_->classify(a);
        QVERIFY(std::abs(sum(p) - 1.0) < 1e-5);
        QVERIFY_EXCEPTION_THROWN(model_->classify(AudioBuffer{{}, 22050}), std::invalid_argument);
        QVERIFY_EXCEPTION_THROWN(model_->classifyLogMel(MelMatrix(64, 40)), std::invalid_argument);
    }

    void concurrentCallsAgree()
    {
        const std::string f = data_.clips[3].path;
        const auto expected = model_->classifyFile(f);
        std::vector<std::vector<float>> got(4);
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i) threads.emplace_back([&, i] { got[i] = model_->classifyFile(f); });
        for (auto& t : threads) t.join();
        for (const auto& g : got) QVERIFY(g == expected);
    }

    void timelineWindows()
    {
        // About 5 s of speech: three clips back to back.
        AudioBuffer a;
        a.sampleRate = 22050;
        for (int i = 0; i < 3; ++i) {
            const AudioBuffer c = loadAudio(data_.clips[std::size_t(i) * 4].path);
            a.samples.insert(a.samples.end(), c.samples.begin(), c.samples.end());
        }
        const double duration = a.durationSeconds();
        QVERIFY(duration > 3.0);
        TimelineOptions o;
        o.windowSeconds = 1.0;
        o.hopSeconds = 0.5;
        const auto w = model_->timeline(a, o);
        const int regular = int(std::floor((duration - 1.0) / 0.5 + 1e-9)) + 1;
        QVERIFY(int(w.size()) == regular || int(w.size()) == regular + 1); // + a window flush with the end
        QCOMPARE(w.front().startSeconds, 0.0);
        QVERIFY(std::abs(w.back().endSeconds - duration) < 1e-3);
        for (std::size_t i = 0; i < w.size(); ++i) {
            QVERIFY(std::abs(w[i].endSeconds - w[i].startSeconds - 1.0) < 1e-3);
            QVERIFY(std::abs(sum(w[i].probabilities) - 1.0) < 1e-5);
            if (i > 0 && i + 1 < w.size()) QVERIFY(std::abs(w[i].startSeconds - w[i - 1].startSeconds - 0.5) < 1e-3);
        }
        // A window is classified exactly like that stretch of audio on its own (batched vs single forward).
        AudioBuffer first = a;
        first.samples.resize(22050);
        const auto single = model_->classify(first);
        for (std::size_t k = 0; k < single.size(); ++k) QVERIFY(std::abs(single[k] - w.front().probabilities[k]) < 1e-4);

        // Shorter than one window: one window covering the whole clip.
        o.windowSeconds = 10.0;
        const auto one = model_->timeline(a, o);
        QCOMPARE(int(one.size()), 1);
        QCOMPARE(one.front().startSeconds, 0.0);
        QVERIFY(std::abs(one.front().endSeconds - duration) < 1e-6);
        o.hopSeconds = 0;
        QVERIFY_EXCEPTION_THROWN(model_->timeline(a, o), std::invalid_argument);
    }

    void verdictsFromVoiceActivity()
    {
        // judge = classify + voice activity: the same probabilities, a status from the card's calibration.
        const std::string f = data_.clips.front().path;
        const Verdict speech = model_->judgeFile(f);
        QVERIFY(speech.probabilities == model_->classifyFile(f));
        QCOMPARE(QString(toString(speech.status)), QString("ok")); // the tiny model's card: threshold 0
        QVERIFY(speech.speechSeconds >= 0.3 && speech.speechFraction > 0.1);
        const Verdict silence = model_->judge(AudioBuffer{std::vector<float>(22050 * 3, 0.0f), 22050});
        QCOMPARE(QString(toString(silence.status)), QString("no_speech"));
        QCOMPARE(silence.speechSeconds, 0.0);
        QCOMPARE(silence.probabilities.size(), model_->labels().size());

        // judgeFiles fills status and speech seconds per row; classifyFiles leaves them unmeasured.
        const auto judged = model_->judgeFiles({f, "/nonexistent.wav"});
        QCOMPARE(QString(toString(judged[0].status)), QString("ok"));
        QCOMPARE(judged[0].speechSeconds, speech.speechSeconds);
        QVERIFY(!judged[1].error.empty());
        QCOMPARE(model_->classifyFiles({f})[0].speechSeconds, -1.0);

        // Timeline: 2 s of silence then the clip; windows over silence only are no_speech, windows over the clip ok.
        AudioBuffer a = loadAudio(f);
        a.samples.insert(a.samples.begin(), std::size_t(44100), 0.0f);
        TimelineOptions o;
        o.windowSeconds = 1.0;
        o.hopSeconds = 0.5;
        const auto w = model_->timeline(a, o);
        QCOMPARE(QString(toString(w.front().status)), QString("no_speech"));
        QCOMPARE(w.front().speechSeconds, 0.0);
        QVERIFY(std::any_of(w.begin(), w.end(), [](const TimelineWindow& x) { return x.status == VerdictStatus::Ok; }));
        for (const auto& x : w) QVERIFY(x.speechSeconds <= x.endSeconds - x.startSeconds + 1e-9);
    }

    void classifyFilesReportsBadFilesOnly()
    {
        const QString bad = tmp_.filePath("bad.wav");
        {
            QFile f(bad);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("RIFF this is not really audio");
        }
        std::vector<std::string> files{data_.clips[0].path, bad.toStdString(), data_.clips[5].path,
                                       "/no/such/file.flac", data_.clips[9].path};
        std::vector<std::pair<int, int>> progress;
        const auto r = model_->classifyFiles(files, {}, [&](int d, int t) { progress.emplace_back(d, t); });
        QCOMPARE(int(r.size()), 5);
        for (int i : {0, 2, 4}) {
            QCOMPARE(r[i].file, files[i]);
            QVERIFY(r[i].error.empty());
            QVERIFY(r[i].probabilities == model_->classifyFile(files[i]));
            QVERIFY(r[i].top() >= 0);
        }
        for (int i : {1, 3}) {
            QVERIFY(r[i].probabilities.empty());
            QCOMPARE(r[i].top(), -1);
            QVERIFY2(QString::fromStdString(r[i].error).startsWith(QString::fromStdString(files[i]) + ": "),
                     r[i].error.c_str());
        }
        QVERIFY(!progress.empty());
        QCOMPARE(progress.back(), std::make_pair(5, 5));
        // A cancelled batch reports every file as not classified, and as skipped (not tried), unlike a failure.
        for (const auto& x : r) QVERIFY(!x.skipped);
        std::atomic<bool> cancel{true};
        const auto c = model_->classifyFiles(files, {}, {}, &cancel);
        for (const auto& x : c) QVERIFY(!x.error.empty() && x.skipped);
        const auto j = model_->judgeFiles(files, {}, {}, &cancel);
        for (const auto& x : j) QVERIFY(x.skipped && x.probabilities.empty());
    }

    void findDefaultModelHonoursEnvironment()
    {
        qputenv("EMOSCOPE_MODEL", model_->path().c_str());
        QCOMPARE(Classifier::findDefaultModel(), model_->path());
        qunsetenv("EMOSCOPE_MODEL");
        const std::string found = Classifier::findDefaultModel();
        if (!found.empty()) QVERIFY(QFile::exists(QString::fromStdString(found)));
    }
};

QTEST_GUILESS_MAIN(TestClassifier)
#include "test_classifier.moc"
