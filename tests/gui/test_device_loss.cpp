// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 9, device loss and playback state, through the real audio stack of a private PulseAudio server
// (tests/gui/PrivatePulse.h):
// - the server is killed during a take: the app lives, the take so far is kept (shown, saveable, and in the
//   recovery folder until saved), the message says what happened; the server is started again and the same
//   Record tab records again without a restart (the device list follows QMediaDevices);
// - a source that appears (a microphone plugged in) is listed; unplugged mid-take, the take so far is kept and
//   the source leaves the list;
// - a server that starts after the app, and one away longer than Qt 6.4's single reconnect (3 s after the loss),
//   are reached again by SoundServerWatch, and the Record tab records from them;
// - the server is killed during playback: the player stops there and says why; once the server is back (after
//   longer than Qt's own retry) Play resumes from there;
// - playback through a starved sink (the GUI thread blocked, so the feed underruns): the player keeps saying
//   "playing" while data remains, ends by itself at the end, one stream at a time;
// - Space plays and pauses in the main window after a file was opened, wherever the focus is.
#include "PrivatePulse.h"
#include "TestData.h"

#include "engine/AudioPlayer.h"
#include "engine/CurrentModel.h"
#include "engine/Recorder.h"
#include "engine/SoundServerWatch.h"
#include "gui/AnalyzeTab.h"
#include "gui/MainWindow.h"
#include "gui/RecordTab.h"

#include <QApplication>
#include <QAudioDevice>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMediaDevices>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <cmath>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace {
QString modelPath()
{
    const QString env = qEnvironmentVariable("EMOSCOPE_TEST_MODEL");
    return env.isEmpty() ? testdata::bundledModel() : env;
}

QByteArray tonePcm(double seconds, double hz)
{
    const int n = int(seconds * 22050);
    QByteArray pcm(n * 2, Qt::Uninitialized);
    auto* s16 = reinterpret_cast<qint16*>(pcm.data());
    for (int i = 0; i < n; ++i)
        s16[i] = qint16(std::lround(8000.0 * std::sin(2 * M_PI * hz * i / 22050.0)));
    return pcm;
}

emoscope::AudioBuffer toneBuffer(double seconds, double hz)
{
    emoscope::AudioBuffer tone;
    tone.sampleRate = 22050;
    tone.samples.resize(std::size_t(seconds * 22050));
    for (std::size_t i = 0; i < tone.samples.size(); ++i)
        tone.samples[i] = 0.2f * float(std::sin(2 * M_PI * hz * double(i) / 22050.0));
    return tone;
}

bool waitForFifoDevice(QAudioDevice* found, int timeoutMs)
{
    QElapsedTimer wait;
    wait.start();
    while (wait.elapsed() < timeoutMs) {
        for (const QAudioDevice& d : QMediaDevices::audioInputs())
            if (d.id().contains("fifo_in")) {
                *found = d;
                return true;
            }
        QTest::qWait(200);
    }
    return false;
}

int recoveryFiles()
{
    return int(QDir(Recorder::recoveryFolder()).entryList({QStringLiteral("take-*.wav")}, QDir::Files).size());
}
} // namespace

class TestDeviceLoss : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_{QDir::tempPath() + QStringLiteral("/emoscope-loss-XXXXXX")};
    std::unique_ptr<PrivatePulse> pulse_;
    int fifo_ = -1;

    // Writes PCM into the FIFO in real time, 20 ms at a time, keeping the event loop running.
    void feed(const QByteArray& pcm)
    {
        const qsizetype chunk = 22050 / 50 * 2;
        QElapsedTimer clock;
        clock.start();
        for (qsizetype at = 0; at < pcm.size(); at += chunk) {
            const qsizetype n = std::min(chunk, pcm.size() - at);
            if (::write(fifo_, pcm.constData() + at, std::size_t(n)) != ssize_t(n))
                return; // the server is gone
            const qint64 due = (at + n) * 1000 / (22050 * 2);
            while (clock.elapsed() < due)
                QTest::qWait(int(std::max<qint64>(1, due - clock.elapsed())));
        }
    }
    bool openFifo()
    {
        closeFifo();
        fifo_ = ::open(QFile::encodeName(pulse_->fifo()).constData(), O_WRONLY);
        return fifo_ >= 0;
    }
    void closeFifo()
    {
        if (fifo_ >= 0)
            ::close(fifo_);
        fifo_ = -1;
    }

    // Ctrl+R on the FIFO source, 1 s of a tone into it, Ctrl+R: the new take, checked to hold the tone (not
    // silence); null (with the test failed) otherwise.
    std::shared_ptr<const RecordedTake> recordTone(RecordTab& tab, const QByteArray& device, double hz)
    {
        Recorder* recorder = tab.recorder();
        const auto before = recorder->lastTake();
        QSignalSpy finished(recorder, &Recorder::takeFinished);
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(tab.deviceBox()->findData(device) >= 0, 20000);
            tab.deviceBox()->setCurrentIndex(tab.deviceBox()->findData(device));
            tab.toggleRecording();
            QTRY_VERIFY2_WITH_TIMEOUT(recorder->isRecording(), qPrintable(tab.message()), 10000);
            QVERIFY(openFifo());
            QTest::qWait(200);
            feed(tonePcm(1.0, hz));
            QTest::qWait(300);
            tab.toggleRecording();
            QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        }();
        closeFifo();
        const auto take = recorder->lastTake();
        if (QTest::currentTestFailed() || !take || take == before)
            return nullptr;
        qInfo("take of the %.0f Hz tone: %.2f s", hz, take->audio.durationSeconds());
        float peak = 0;
        for (float v : take->audio.samples)
            peak = std::max(peak, std::abs(v));
        if (take->audio.durationSeconds() <= 0.7 || peak <= 0.1f) { // the tone, not silence
            qWarning("take of %.2f s, peak %.3f", take->audio.durationSeconds(), double(peak));
            return nullptr;
        }
        return take;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        ::signal(SIGPIPE, SIG_IGN); // writing to the FIFO of a killed server must not end the test
        pulse_ = std::make_unique<PrivatePulse>(dir_.path());
        pulse_->exportEnvironment();
        // As in main(): the watch finds Qt's PulseAudio engine while Qt creates it, here with no server running.
        QVERIFY2(SoundServerWatch::install(), "Qt's PulseAudio engine was not found");
        QDir(Recorder::recoveryFolder()).removeRecursively();
    }

    void serverStartedAfterTheApp()
    {
        SoundServerWatch* watch = SoundServerWatch::instance();
        QVERIFY(watch);
        QVERIFY(watch->isReconnecting());
        QVERIFY(QMediaDevices::audioInputs().isEmpty());
        // Qt 6.4 alone never looks for a server again after its first connect failed.
        QTest::qWait(4000);
        QSignalSpy reconnected(watch, &SoundServerWatch::reconnected);
        QVERIFY2(pulse_->start(), qPrintable(QStringLiteral("pulseaudio did not come up; log in %1").arg(pulse_->log())));
        QTRY_COMPARE_WITH_TIMEOUT(reconnected.count(), 1, 30000);
        QVERIFY(!watch->isReconnecting());
        QAudioDevice fifoDevice;
        QVERIFY2(waitForFifoDevice(&fifoDevice, 10000), "the FIFO source is not listed after the late start");
        // Qt's second engine, behind every stream, is watched too from now on.
        QCOMPARE(watch->engineCount(), 2);
        qInfo("server reached after %d tries", watch->attempts());
    }

    void cleanupTestCase()
    {
        closeFifo();
        pulse_.reset();
        QDir(Recorder::recoveryFolder()).removeRecursively();
    }

    void serverKilledDuringATakeThenRestarted()
    {
        QAudioDevice fifoDevice;
        QVERIFY2(waitForFifoDevice(&fifoDevice, 10000), "Qt Multimedia does not list the PulseAudio FIFO source");
        CurrentModel model;
        QVERIFY2(model.loadNow(modelPath()), qPrintable(modelPath()));
        RecordTab tab(&model);
        tab.show();
        const int index = tab.deviceBox()->findData(fifoDevice.id());
        QVERIFY(index >= 0);
        tab.deviceBox()->setCurrentIndex(index);
        Recorder* recorder = tab.recorder();
        QSignalSpy lost(recorder, &Recorder::deviceLost);
        QSignalSpy finished(recorder, &Recorder::takeFinished);

        tab.toggleRecording();
        QVERIFY(recorder->isRecording());
        QVERIFY(openFifo());
        QTest::qWait(200);
        feed(tonePcm(1.5, 220));
        QTest::qWait(300); // the tail through the server's buffers

        // The sound server dies mid-take (what unplugging or a PipeWire/PulseAudio restart looks like).
        pulse_->kill();
        closeFifo();
        QTRY_VERIFY_WITH_TIMEOUT(!recorder->isRecording(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        // Still alive, and the 1.5 s recorded so far are the take: shown, saveable, said why.
        const auto take = recorder->lastTake();
        QVERIFY(take);
        qInfo("take after the server died: %.2f s", take->audio.durationSeconds());
        QVERIFY2(take->audio.durationSeconds() > 1.0, qPrintable(QString::number(take->audio.durationSeconds())));
        QVERIFY(recorder->hasUnsavedTake());
        QCOMPARE(lost.count(), 1);
        QVERIFY2(tab.message().contains(QStringLiteral("no longer available")), qPrintable(tab.message()));
        QVERIFY(tab.sendButton()->isEnabled());
        // Written to the recovery folder until it is saved. The copy is flushed to disk (fsync), which can take
        // many seconds while the disk is busy (a build beside the test): wait for the write, not for a time.
        QTRY_VERIFY_WITH_TIMEOUT(!recorder->isWritingRecovery(), 120000);
        QCOMPARE(recoveryFiles(), 1);
        const QString saved = dir_.filePath(QStringLiteral("kept.wav"));
        QSignalSpy savedSpy(&tab, &RecordTab::takeSaved);
        tab.saveTake(saved);
        QVERIFY(savedSpy.wait(60000)); // the save is flushed to disk
        QCOMPARE(savedSpy.first().at(1).toString(), QString());
        QVERIFY(QFileInfo(saved).size() > 44);
        QCOMPARE(recoveryFiles(), 0);
        QVERIFY(!recorder->hasUnsavedTake());

        // The server comes back: the device list follows, and the same tab records again. Ctrl+R right after the
        // restart: Qt reconnects within a few seconds, and the tab waits for it.
        QVERIFY2(pulse_->start(), qPrintable(pulse_->log()));
        QVERIFY(recordTone(tab, fifoDevice.id(), 330));
        // The recovery copy of this take may still be being written: it is removed when that write finishes.
        recorder->discardTake();
        QTRY_VERIFY_WITH_TIMEOUT(!recorder->isWritingRecovery(), 120000);
        QCOMPARE(recoveryFiles(), 0);
    }

    void serverAwayLongerThanQtRetries()
    {
        SoundServerWatch* watch = SoundServerWatch::instance();
        QVERIFY(watch);
        QAudioDevice fifoDevice;
        QVERIFY2(waitForFifoDevice(&fifoDevice, 10000), "Qt Multimedia does not list the PulseAudio FIFO source");
        CurrentModel model;
        QVERIFY2(model.loadNow(modelPath()), qPrintable(modelPath()));
        RecordTab tab(&model);
        tab.show();
        QSignalSpy reconnected(watch, &SoundServerWatch::reconnected);

        // Away for 8 s: Qt's own single try, 3 s after the loss, finds nothing.
        pulse_->kill();
        QTRY_VERIFY_WITH_TIMEOUT(watch->isReconnecting(), 10000);
        QTest::qWait(8000);
        QVERIFY(watch->isReconnecting());
        QCOMPARE(reconnected.count(), 0);
        QVERIFY2(pulse_->start(), qPrintable(pulse_->log()));
        QTRY_COMPARE_WITH_TIMEOUT(reconnected.count(), 1, 30000);
        qInfo("server reached again after %d tries of the watch", watch->attempts());
        QVERIFY(watch->attempts() >= 1); // the watch did it, not Qt

        QVERIFY(recordTone(tab, fifoDevice.id(), 440));
        Recorder* recorder = tab.recorder();
        recorder->discardTake();
        QTRY_VERIFY_WITH_TIMEOUT(!recorder->isWritingRecovery(), 120000);
    }

    void aMicrophonePluggedInIsListedAndUnpluggedMidTakeKeepsTheTake()
    {
        CurrentModel model;
        QVERIFY2(model.loadNow(modelPath()), qPrintable(modelPath()));
        RecordTab tab(&model);
        // Qt 6.4's QMediaDevices does not say when its list changes; the watch does.
        QSignalSpy changed(SoundServerWatch::instance(), &SoundServerWatch::audioInputsChanged);
        QCOMPARE(tab.deviceBox()->findData(QByteArray("plugged_mic")), -1);
        // What plugging in a USB microphone looks like to the server: a new source.
        QString index;
        QVERIFY(pulse_->pactl({QStringLiteral("load-module"), QStringLiteral("module-sine-source"),
                               QStringLiteral("source_name=plugged_mic"), QStringLiteral("frequency=330")},
                              &index));
        QTRY_VERIFY_WITH_TIMEOUT(tab.deviceBox()->findData(QByteArray("plugged_mic")) >= 0, 10000);
        QVERIFY(changed.count() >= 1);
        // Record from it, and unplug it mid-take: the take so far is kept, and the list lets it go.
        tab.deviceBox()->setCurrentIndex(tab.deviceBox()->findData(QByteArray("plugged_mic")));
        Recorder* recorder = tab.recorder();
        QSignalSpy lost(recorder, &Recorder::deviceLost);
        QSignalSpy finished(recorder, &Recorder::takeFinished);
        tab.toggleRecording();
        QTRY_VERIFY2_WITH_TIMEOUT(recorder->isRecording(), qPrintable(tab.message()), 10000);
        QTest::qWait(1500);
        QVERIFY(pulse_->pactl({QStringLiteral("unload-module"), index.trimmed()}));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QCOMPARE(lost.count(), 1);
        QVERIFY(!recorder->isRecording());
        const auto take = recorder->lastTake();
        QVERIFY(take);
        qInfo("take when the microphone went: %.2f s", take->audio.durationSeconds());
        QVERIFY2(take->audio.durationSeconds() > 1.0, qPrintable(QString::number(take->audio.durationSeconds())));
        QVERIFY2(tab.message().contains(QStringLiteral("no longer available")), qPrintable(tab.message()));
        QTRY_COMPARE_WITH_TIMEOUT(tab.deviceBox()->findData(QByteArray("plugged_mic")), -1, 10000);
        recorder->discardTake();
        QTRY_VERIFY_WITH_TIMEOUT(!recorder->isWritingRecovery(), 120000);
    }

    void serverKilledDuringPlaybackThenBack()
    {
        AudioPlayer player;
        QVERIFY2(player.isAvailable(), qPrintable(player.unavailableReason()));
        player.setAudio(toneBuffer(4.0, 330));
        QSignalSpy errors(&player, &AudioPlayer::error);
        player.play();
        QTRY_VERIFY_WITH_TIMEOUT(player.positionSeconds() > 0.5, 5000);
        pulse_->kill();
        // The player says so, stops where it was, and the app goes on.
        QTRY_VERIFY_WITH_TIMEOUT(!player.isPlaying(), 10000);
        QCOMPARE(errors.count(), 1);
        QVERIFY2(errors.first().at(0).toString().contains(QStringLiteral("no longer available")),
                 qPrintable(errors.first().at(0).toString()));
        const double stoppedAt = player.positionSeconds();
        qInfo("playback stopped at %.2f s", stoppedAt);
        QVERIFY(stoppedAt > 0.4 && stoppedAt < 3.9);
        // The server comes back (later than Qt's own retry): Play resumes from there.
        QTest::qWait(5000);
        QVERIFY2(pulse_->start(), qPrintable(pulse_->log()));
        QTRY_VERIFY_WITH_TIMEOUT(!SoundServerWatch::instance()->isReconnecting(), 30000);
        player.play();
        QVERIFY(player.isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(player.positionSeconds() > stoppedAt + 0.3, 5000);
        player.stop();
    }

    void underrunIsNotTheEnd()
    {
        AudioPlayer player;
        QVERIFY2(player.isAvailable(), qPrintable(player.unavailableReason()));
        player.setAudio(toneBuffer(4.0, 440));
        QSignalSpy playing(&player, &AudioPlayer::playingChanged);
        player.play();
        QTRY_VERIFY_WITH_TIMEOUT(player.positionSeconds() > 0.3, 5000);
        // A busy machine: the thread that feeds the sink does not run for 1.5 s, so the stream underruns.
        QThread::msleep(1500);
        QTest::qWait(300);
        const double after = player.positionSeconds();
        qInfo("position after the stall: %.2f s of %.2f", after, player.durationSeconds());
        QVERIFY2(player.isPlaying(), "an underrun was taken for the end of the data");
        QVERIFY(after < player.durationSeconds() - 0.5);
        QCOMPARE(playing.count(), 1); // only the start
        // It still pauses and resumes, on one stream.
        player.pause();
        QVERIFY(!player.isPlaying());
        const double pausedAt = player.positionSeconds();
        QTest::qWait(200);
        QCOMPARE(player.positionSeconds(), pausedAt);
        player.play();
        player.play(); // a second Play does not start a second stream
        QVERIFY(player.isPlaying());
        QTest::qWait(300);
        QString inputs;
        QVERIFY(pulse_->pactl({QStringLiteral("list"), QStringLiteral("short"), QStringLiteral("sink-inputs")}, &inputs));
        QCOMPARE(int(inputs.trimmed().split(QLatin1Char('\n'), Qt::SkipEmptyParts).size()), 1);
        // And it reaches the end by itself.
        QTRY_VERIFY_WITH_TIMEOUT(!player.isPlaying(), 10000);
        QCOMPARE(player.positionSeconds(), player.durationSeconds());
        player.stop();
        QCOMPARE(player.positionSeconds(), 0.0);
    }

    void spacePlaysInTheWindowAfterAnOpen()
    {
        CurrentModel model;
        QVERIFY(model.loadNow(modelPath()));
        MainWindow window(&model);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.tabs()->tabBar()->setFocus(); // focus outside the Analyze tab's widgets, as after Ctrl+O
        QSignalSpy shown(window.analyzeTab(), &AnalyzeTab::analysisShown);
        window.openFiles({testdata::tessDir() + QStringLiteral("/YAF_sad/YAF_bath_sad.flac")});
        QVERIFY(shown.wait(60000));
        AudioPlayer* player = window.analyzeTab()->player();
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(player->isPlaying());
        QCOMPARE(window.analyzeTab()->playButton()->text(), QStringLiteral("Pause"));
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(!player->isPlaying());
        // On another tab Space is that tab's again.
        window.tabs()->setCurrentWidget(window.recordTab());
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(!player->isPlaying());
    }
};

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EmoscopeTests"));
    QApplication::setApplicationName(QStringLiteral("test_device_loss"));
    QStandardPaths::setTestModeEnabled(true);
    TestDeviceLoss test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_device_loss.moc"
