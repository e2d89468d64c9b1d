// SPDX-License-Identifier: GPL-3.0-or-later
// The Analyze tab plays a streamed recording (issue 9): an 11-minute file (over AnalysisEngine::kStreamSeconds, so
// its samples are never held) is analysed, then the Play button is enabled with its ordinary tooltip, the player
// has the whole file, Play plays, a click on the waveform at 10:30 moves playback there and Play selection plays
// a range and stops at its end (Classify selection still needs the samples in memory). Sound goes to a
// private PulseAudio null sink (tests/gui/PrivatePulse.h).
#include "LongWavFixture.h"
#include "PrivatePulse.h"
#include "TestData.h"
#include "engine/AnalysisEngine.h"
#include "engine/AudioPlayer.h"
#include "engine/CurrentModel.h"
#include "gui/AnalyzeTab.h"
#include "gui/WaveformView.h"
#include "infer/Classifier.h"

#include <QElapsedTimer>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

class TestStreamedAnalyze : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<PrivatePulse> pulse_;
    CurrentModel model_;
    QString long_;
    const double seconds_ = AnalysisEngine::kStreamSeconds + 60.0;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        ::signal(SIGPIPE, SIG_IGN);
        pulse_ = std::make_unique<PrivatePulse>(dir_.path());
        pulse_->exportEnvironment();
        QVERIFY2(pulse_->start(), qPrintable(QStringLiteral("pulseaudio did not come up; log in %1").arg(pulse_->log())));
        model_.set(emoscope::Classifier::load(QFile::encodeName(testdata::bundledModel()).toStdString()));
        long_ = dir_.filePath(QStringLiteral("eleven_minutes.wav"));
        std::vector<std::string> clips;
        for (const char* c : {"OAF_angry/OAF_back_angry.flac", "YAF_happy/YAF_back_happy.flac"})
            clips.push_back(QFile::encodeName(testdata::tessDir() + "/" + c).toStdString());
        fixtures::writeLongSpeechWav(QFile::encodeName(long_).toStdString(), seconds_, clips);
    }
    void cleanupTestCase() { pulse_.reset(); }

    void streamedResultPlays()
    {
        AnalyzeTab tab(&model_);
        tab.resize(1000, 700);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        tab.openFiles({long_});
        QElapsedTimer timer;
        timer.start();
        while (!(tab.result() && tab.result()->source == long_ && !tab.engine()->isBusy()) && timer.elapsed() < 600000)
            QTest::qWait(200);
        const auto r = tab.result();
        QVERIFY(r && r->ok() && r->streamed && r->audio.samples.empty());

        AudioPlayer* player = tab.player();
        QVERIFY2(player->isAvailable(), qPrintable(player->unavailableReason()));
        QVERIFY(player->hasMedia());
        QVERIFY(std::abs(player->durationSeconds() - seconds_) < 0.01);
        QVERIFY(tab.playButton()->isEnabled());
        QCOMPARE(tab.playButton()->toolTip(), QStringLiteral("Play or pause (Space)"));

        QTest::mouseClick(tab.playButton(), Qt::LeftButton);
        QVERIFY(player->isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(player->positionSeconds() > 0.3, 5000);

        // A click on the waveform at 10:30 seeks there, and playback runs on from there.
        WaveformView* wave = tab.waveform();
        QSignalSpy seeks(wave, &WaveformView::seekRequested);
        QTest::mouseClick(wave, Qt::LeftButton, {}, QPoint(wave->xForSeconds(630.0), wave->height() / 2));
        QCOMPARE(seeks.count(), 1);
        const double target = seeks.first().first().toDouble();
        QVERIFY2(std::abs(target - 630.0) < 2.0, qPrintable(QString::number(target)));
        QVERIFY(player->isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(player->positionSeconds() > target + 0.3, 5000);
        QVERIFY(player->positionSeconds() < target + 5.0);
        QTest::mouseClick(tab.playButton(), Qt::LeftButton); // pause
        QVERIFY(!player->isPlaying());
        QVERIFY(player->positionSeconds() > target);

        // Play selection plays the range and stops at its end; Classify selection still needs the samples.
        tab.timeViewport()->setSelection(620.0, 620.8);
        tab.playSelection();
        QVERIFY(player->isPlaying());
        QCOMPARE(player->range(), (std::optional<std::pair<double, double>>(std::make_pair(620.0, 620.8))));
        QTRY_VERIFY_WITH_TIMEOUT(!player->isPlaying(), 10000);
        QCOMPARE(player->positionSeconds(), 620.8);
        tab.classifySelection();
        QVERIFY2(tab.message().contains(QStringLiteral("needs the samples in memory")), qPrintable(tab.message()));
    }
};

QTEST_MAIN(TestStreamedAnalyze)
#include "test_streamed_analyze.moc"
