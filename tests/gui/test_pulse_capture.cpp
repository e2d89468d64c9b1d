// SPDX-License-Identifier: GPL-3.0-or-later
// End to end through the real audio stack: the test starts its own PulseAudio server (tests/gui/PrivatePulse.h)
// whose default source is a FIFO (module-pipe-source, s16le 22,050 Hz mono), Qt Multimedia lists that source, the Record tab records
// it with a real QAudioSource while the test writes a TESS clip into the FIFO in real time, and the finished
// take is non-silent, about as long as the clip, and classified into 7 probabilities that sum to 1.
// Works as root (CI containers): pulseaudio runs per-user style with -n, its own socket, runtime dir and HOME.
#include "PrivatePulse.h"
#include "TestData.h"

#include "audio/AudioDecoder.h"
#include "engine/AudioPlayer.h"
#include "engine/CurrentModel.h"
#include "engine/Recorder.h"
#include "gui/AnalyzeTab.h"
#include "gui/LevelMeter.h"
#include "gui/RecordTab.h"
#include "infer/Classifier.h"

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
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <cmath>
#include <fcntl.h>
#include <memory>
#include <numeric>
#include <unistd.h>

namespace {
QString modelPath()
{
    const QString env = qEnvironmentVariable("EMOSCOPE_TEST_MODEL");
    return env.isEmpty() ? testdata::bundledModel() : env;
}
} // namespace

class TestPulseCapture : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_{QDir::tempPath() + QStringLiteral("/emoscope-pulse-XXXXXX")};
    std::unique_ptr<PrivatePulse> pulse_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        pulse_ = std::make_unique<PrivatePulse>(dir_.path());
        pulse_->exportEnvironment();
        QVERIFY2(pulse_->start(), qPrintable(QStringLiteral("pulseaudio (the pulseaudio package) did not come up; log in %1")
                                                 .arg(pulse_->log())));
        QString sources;
        QVERIFY(pulse_->pactl({QStringLiteral("list"), QStringLiteral("short"), QStringLiteral("sources")}, &sources));
        QVERIFY2(sources.contains(QStringLiteral("fifo_in")), qPrintable(sources));
        QVERIFY(QFileInfo::exists(pulse_->fifo())); // created by module-pipe-source itself
    }

    void cleanupTestCase() { pulse_.reset(); }

    void recordsTheFifoThroughQtMultimedia()
    {
        // Qt Multimedia sees the FIFO source.
        QAudioDevice fifoDevice;
        QElapsedTimer wait;
        wait.start();
        while (fifoDevice.isNull() && wait.elapsed() < 10000) {
            for (const QAudioDevice& d : QMediaDevices::audioInputs())
                if (d.id().contains("fifo_in"))
                    fifoDevice = d;
            if (fifoDevice.isNull())
                QTest::qWait(200);
        }
        QVERIFY2(!fifoDevice.isNull(), "Qt Multimedia does not list the PulseAudio FIFO source");

        // The clip, as the FIFO wants it: 22,050 Hz s16le mono.
        const QString clipPath = testdata::tessDir() + QStringLiteral("/OAF_angry/OAF_back_angry.flac");
        emoscope::DecodeOptions options;
        options.targetSampleRate = 22050;
        const emoscope::AudioBuffer clip = emoscope::loadAudio(QFile::encodeName(clipPath).toStdString(), options);
        QByteArray pcm(qsizetype(clip.samples.size() * 2), Qt::Uninitialized);
        auto* s16 = reinterpret_cast<qint16*>(pcm.data());
        for (std::size_t i = 0; i < clip.samples.size(); ++i)
            s16[i] = qint16(std::lround(std::clamp(clip.samples[i], -1.0f, 1.0f) * 32767.0f));

        CurrentModel model;
        QVERIFY2(model.loadNow(modelPath()), qPrintable(modelPath()));
        RecordTab tab(&model);
        tab.show();
        QVERIFY(tab.hasInputDevice());
        const int index = tab.deviceBox()->findData(fifoDevice.id());
        QVERIFY(index >= 0);
        tab.deviceBox()->setCurrentIndex(index);

        Recorder* recorder = tab.recorder();
        QSignalSpy classified(recorder, &Recorder::takeClassified);
        QSignalSpy errors(recorder, &Recorder::error);
        QSignalSpy live(recorder, &Recorder::liveUpdated);
        std::vector<std::vector<float>> liveProbabilities;
        connect(recorder, &Recorder::liveProbabilities, this,
                [&](const QStringList&, const std::vector<float>& p) { liveProbabilities.push_back(p); });
        double loudest = 0;
        connect(recorder, &Recorder::levelChanged, this, [&](double peak) { loudest = std::max(loudest, peak); });

        tab.toggleRecording();
        QVERIFY(recorder->isRecording());
        QTest::qWait(300); // let the stream connect before the clip starts

        // Write the clip in real time, 20 ms at a time (the FIFO is read as fast as it is written).
        const int fd = ::open(QFile::encodeName(pulse_->fifo()).constData(), O_WRONLY);
        QVERIFY(fd >= 0);
        const qsizetype chunk = 22050 / 50 * 2;
        const int framesBefore = int(live.count());
        QElapsedTimer clock;
        clock.start();
        for (qsizetype at = 0; at < pcm.size(); at += chunk) {
            const qsizetype n = std::min(chunk, pcm.size() - at);
            QCOMPARE(::write(fd, pcm.constData() + at, std::size_t(n)), ssize_t(n));
            const qint64 due = (at + n) * 1000 / (22050 * 2);
            while (clock.elapsed() < due)
                QTest::qWait(int(std::max<qint64>(1, due - clock.elapsed())));
        }
        const int liveFrames = int(live.count()) - framesBefore; // while audio flowed (informational only)
        const double recordedFor = double(clock.elapsed()) / 1000.0;
        QTest::qWait(400); // the tail through the server's buffers
        ::close(fd);
        tab.toggleRecording();
        QVERIFY(!recorder->isRecording());
        QVERIFY2(classified.wait(60000) || classified.count() > 0,
                 qPrintable(errors.isEmpty() ? QStringLiteral("no classification") : errors.first().first().toString()));

        const auto take = recorder->lastTake();
        QVERIFY(take);
        const double seconds = take->audio.durationSeconds();
        qInfo("device format %d Hz x %d ch (sample format %d); take %.2f s for a %.2f s clip; %d live frames in %.2f s "
              "(%.0f fps); peak %.3f",
              recorder->captureFormat().sampleRate(), recorder->captureFormat().channelCount(),
              int(recorder->captureFormat().sampleFormat()), seconds, clip.durationSeconds(), liveFrames, recordedFor,
              liveFrames / recordedFor, loudest);
        // About the clip's length: the clip plus what flowed during the lead-in and the tail wait, if anything.
        QVERIFY2(seconds > clip.durationSeconds() - 0.25 && seconds < clip.durationSeconds() + 1.2,
                 qPrintable(QString::number(seconds)));
        double energy = 0;
        float peak = 0;
        for (float v : take->audio.samples) {
            energy += double(v) * v;
            peak = std::max(peak, std::abs(v));
        }
        const double rms = std::sqrt(energy / double(take->audio.samples.size()));
        double clipEnergy = 0;
        for (float v : clip.samples)
            clipEnergy += double(v) * v;
        // Non-silent, with about the clip's energy (the same samples went through).
        QVERIFY2(peak > 0.5f * *std::max_element(clip.samples.begin(), clip.samples.end()), qPrintable(QString::number(peak)));
        QVERIFY2(energy > 0.5 * clipEnergy * take->audio.sampleRate / 22050.0, qPrintable(QString::number(rms)));
        QVERIFY(loudest > 0.01);
        QVERIFY(live.count() > 5);
        // Live emotion bars came in while recording (every ~0.5 s of audio, on the worker).
        QVERIFY(!liveProbabilities.empty());
        for (const auto& lp : liveProbabilities)
            QVERIFY(lp.size() == 7 && std::abs(std::accumulate(lp.begin(), lp.end(), 0.0) - 1.0) < 1e-4);

        const std::vector<float>& p = recorder->takeProbabilities();
        QCOMPARE(int(p.size()), 7);
        QCOMPARE(recorder->takeLabels().size(), 7);
        const double sum = std::accumulate(p.begin(), p.end(), 0.0);
        QVERIFY2(std::abs(sum - 1.0) < 1e-4, qPrintable(QString::number(sum)));
        // The take's classification is the classifier's verdict on exactly the recorded samples.
        const std::vector<float> direct = model.classifier()->classify(take->audio);
        for (std::size_t i = 0; i < p.size(); ++i)
            QVERIFY(std::abs(p[i] - direct[i]) < 1e-5);

        // Save the take (atomic WAV on a worker) and read it back.
        const QString saved = dir_.filePath(QStringLiteral("take.wav"));
        QSignalSpy savedSpy(&tab, &RecordTab::takeSaved);
        tab.saveTake(saved);
        QVERIFY(savedSpy.wait(10000));
        QCOMPARE(savedSpy.first().at(1).toString(), QString());
        emoscope::DecodeOptions keepRate;
        keepRate.targetSampleRate = 0;
        const emoscope::AudioBuffer back = emoscope::loadAudio(QFile::encodeName(saved).toStdString(), keepRate);
        QCOMPARE(back.sampleRate, take->audio.sampleRate);
        QCOMPARE(back.samples.size(), take->audio.samples.size());

        // Send to Analyze hands over exactly the take.
        QSignalSpy sent(&tab, &RecordTab::sendToAnalyze);
        QVERIFY(tab.sendButton()->isEnabled());
        tab.sendButton()->click();
        QCOMPARE(sent.count(), 1);
        QVERIFY(sent.first().at(0).value<emoscope::AudioBuffer>().samples == take->audio.samples);
    }

    void spaceTogglesPlaybackInAnalyze()
    {
        CurrentModel model;
        QVERIFY(model.loadNow(modelPath()));
        AnalyzeTab tab(&model);
        tab.show();
        QVERIFY(QTest::qWaitForWindowActive(&tab));
        QSignalSpy shown(&tab, &AnalyzeTab::analysisShown);
        tab.openFiles({testdata::tessDir() + QStringLiteral("/YAF_sad/YAF_bath_sad.flac")});
        QVERIFY(shown.wait(60000));
        QVERIFY(tab.playButton()->isEnabled()); // an output device exists here (the null sink)
        QTest::keyClick(&tab, Qt::Key_Space);
        QVERIFY(tab.player()->isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(tab.player()->positionSeconds() > 0.3, 5000);
        QTest::keyClick(&tab, Qt::Key_Space);
        QVERIFY(!tab.player()->isPlaying());
        const double pausedAt = tab.player()->positionSeconds();
        QTest::qWait(300);
        QCOMPARE(tab.player()->positionSeconds(), pausedAt);
    }

    void playsFromMemoryThroughTheServer()
    {
        // The private server also has a null sink: playback works and the position moves with it.
        AudioPlayer player;
        QVERIFY2(player.isAvailable(), qPrintable(player.unavailableReason()));
        emoscope::AudioBuffer tone;
        tone.sampleRate = 22050;
        tone.samples.resize(22050); // 1 s
        for (std::size_t i = 0; i < tone.samples.size(); ++i)
            tone.samples[i] = 0.2f * float(std::sin(2 * 3.14159265 * 440.0 * double(i) / 22050.0));
        player.setAudio(tone);
        QSignalSpy playing(&player, &AudioPlayer::playingChanged);
        player.play();
        QVERIFY(player.isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(player.positionSeconds() > 0.2, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!player.isPlaying(), 10000); // reaches the end by itself
        QCOMPARE(playing.last().first().toBool(), false);
        QVERIFY(player.positionSeconds() > 0.9);
        // Seeking while paused moves the cursor without playing.
        player.seek(0.5);
        QCOMPARE(player.positionSeconds(), 0.5);
        QVERIFY(!player.isPlaying());
    }
};

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EmoscopeTests"));
    QApplication::setApplicationName(QStringLiteral("test_pulse_capture"));
    QStandardPaths::setTestModeEnabled(true);
    TestPulseCapture test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_pulse_capture.moc"
