// SPDX-License-Identifier: GPL-3.0-or-later
// The Record tab with the bundled model, fed PCM through Recorder::startPushed: a silent take (live windows and the
// whole take) says "No speech detected" instead of showing bars; a speech take then shows the bars and an emotion;
// the headline text for each status.
#include "PushedPcm.h"
#include "TestData.h"

#include "audio/AudioDecoder.h"
#include "engine/CurrentModel.h"
#include "engine/Recorder.h"
#include "gui/EmotionBarsView.h"
#include "gui/RecordTab.h"
#include "gui/VerdictText.h"

#include <QAudioFormat>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <random>

namespace {
QString status(emoscope::VerdictStatus s)
{
    return QString::fromLatin1(emoscope::toString(s));
}
} // namespace

class TestRecordVerdict : public QObject {
    Q_OBJECT
private:
    CurrentModel model_;
    std::unique_ptr<RecordTab> tab_;

    // Records `samples` (22,050 Hz float mono) as one take; returns the live statuses seen while recording.
    QStringList record(const std::vector<float>& samples)
    {
        QStringList live;
        auto connection = connect(tab_->recorder(), &Recorder::liveProbabilities, this,
                                  [&](const QStringList&, const std::vector<float>&, emoscope::VerdictStatus s) {
                                      live << status(s);
                                  });
        QSignalSpy classified(tab_->recorder(), &Recorder::takeClassified);
        const QAudioFormat format = testdata::monoFloatFormat(22050);
        QIODevice* sink = tab_->recorder()->startPushed(format);
        if (!sink)
            return {QStringLiteral("cannot start")};
        // In 0.1 s pieces with the event loop running, so live windows are classified while recording.
        const std::size_t piece = 2205;
        for (std::size_t at = 0; at < samples.size(); at += piece) {
            const std::size_t n = std::min(piece, samples.size() - at);
            sink->write(reinterpret_cast<const char*>(samples.data() + at), qint64(n * sizeof(float)));
            QTest::qWait(20);
        }
        QTest::qWait(1500); // the last live classification finishes while still recording
        tab_->recorder()->stop();
        if (!classified.wait(60000))
            live << QStringLiteral("take not classified");
        disconnect(connection);
        return live;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(model_.loadNow(testdata::bundledModel()), qPrintable(testdata::bundledModel()));
        tab_ = std::make_unique<RecordTab>(&model_);
        tab_->resize(900, 700);
        tab_->show();
        QVERIFY(QTest::qWaitForWindowExposed(tab_.get()));
    }
    void cleanupTestCase() { tab_.reset(); }

    void silentTakeSaysNoSpeech()
    {
        const QStringList live = record(std::vector<float>(22050 * 4, 0.0f));
        QVERIFY2(!live.isEmpty(), "no live classification arrived");
        for (const QString& s : live)
            QCOMPARE(s, QStringLiteral("no_speech"));
        QCOMPARE(status(tab_->recorder()->takeStatus()), QStringLiteral("no_speech"));
        QCOMPARE(tab_->topEmotionLabel()->text(), QStringLiteral("No speech detected"));
        QVERIFY(!tab_->bars()->isVisible());
        // Digital silence (a muted or unplugged input): the text says nothing reaches the input.
        QVERIFY2(tab_->noSpeechLabel()->text().contains(QStringLiteral("muted")), qPrintable(tab_->noSpeechLabel()->text()));
    }

    // Quiet noise is not silence: no speech either, but the text asks for speech, not about a muted input.
    void quietNoiseAsksForSpeech()
    {
        std::mt19937 rng(5);
        std::uniform_real_distribution<float> u(-0.01f, 0.01f); // white noise at about -45 dBFS RMS
        std::vector<float> noise(22050 * 4);
        for (float& v : noise) v = u(rng);
        record(noise);
        QCOMPARE(status(tab_->recorder()->takeStatus()), QStringLiteral("no_speech"));
        QVERIFY(!tab_->bars()->isVisible());
        QVERIFY2(tab_->noSpeechLabel()->text().contains(QStringLiteral("Speak closer")),
                 qPrintable(tab_->noSpeechLabel()->text()));
    }

    void headlines()
    {
        // The text both tabs show for each status.
        const QStringList labels{"angry", "happy", "sad"};
        const std::vector<float> p{0.41f, 0.26f, 0.33f};
        QCOMPARE(VerdictText::headline(emoscope::VerdictStatus::Uncertain, labels, p),
                 QString::fromUtf8("Uncertain — angry 41% · sad 33%"));
        QCOMPARE(VerdictText::headline(emoscope::VerdictStatus::Ok, labels, p), QStringLiteral("angry  41%"));
        QCOMPARE(VerdictText::headline(emoscope::VerdictStatus::NoSpeech, labels, p), QStringLiteral("No speech detected"));
    }

    void speechTakeShowsTheEmotion()
    {
        const QString clip = testdata::tessDir() + QStringLiteral("/OAF_angry/OAF_back_angry.flac");
        const std::vector<float> speech = emoscope::loadAudio(QFile::encodeName(clip).toStdString(), {}).samples;
        record(speech);
        QCOMPARE(status(tab_->recorder()->takeStatus()), QStringLiteral("ok"));
        QVERIFY(tab_->bars()->isVisible());
        const QString headline = tab_->topEmotionLabel()->text();
        QVERIFY2(headline != QStringLiteral("No speech detected") && headline.endsWith(QLatin1Char('%')), qPrintable(headline));
    }
};

QTEST_MAIN(TestRecordVerdict)
#include "test_record_verdict.moc"
