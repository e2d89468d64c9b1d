// SPDX-License-Identifier: GPL-3.0-or-later
// AudioPlayer::setStream (issue 9): a file played without holding it in memory behaves as in-memory audio does,
// through a private PulseAudio server with a null sink (tests/gui/PrivatePulse.h): a range plays and stops by
// itself at its end with every reported position inside it, Play goes on to the end of the file, a seek while
// playing moves there, pause keeps the position; a file that vanished is reported by error() naming it.
#include "PrivatePulse.h"

#include "audio/WavWriter.h"
#include "engine/AudioPlayer.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <csignal>

class TestStreamedPlayer : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<PrivatePulse> pulse_;
    QString file_;
    static constexpr double kSeconds = 20.0;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        ::signal(SIGPIPE, SIG_IGN);
        pulse_ = std::make_unique<PrivatePulse>(dir_.path());
        pulse_->exportEnvironment();
        QVERIFY2(pulse_->start(), qPrintable(QStringLiteral("pulseaudio did not come up; log in %1").arg(pulse_->log())));
        file_ = dir_.filePath(QStringLiteral("tone.wav"));
        std::vector<float> x(std::size_t(kSeconds * 16000));
        for (std::size_t i = 0; i < x.size(); ++i)
            x[i] = 0.2f * float(std::sin(2 * M_PI * 440.0 * double(i) / 16000));
        emoscope::writeWavAtomic(QFile::encodeName(file_).toStdString(), x.data(), x.size(), 16000);
    }
    void cleanupTestCase() { pulse_.reset(); }

    void streamPlaysLikeMemory()
    {
        AudioPlayer player;
        QVERIFY2(player.isAvailable(), qPrintable(player.unavailableReason()));
        QVERIFY(!player.hasMedia());
        player.setStream(file_, kSeconds, 16000);
        QVERIFY(player.hasMedia());
        QCOMPARE(player.durationSeconds(), kSeconds);
        std::vector<double> positions;
        connect(&player, &AudioPlayer::positionChanged, this, [&](double s) {
            if (player.isPlaying())
                positions.push_back(s);
        });
        QSignalSpy playing(&player, &AudioPlayer::playingChanged);
        QSignalSpy errors(&player, &AudioPlayer::error);

        // A range in the middle of the file plays and stops by itself at its end.
        player.playRange(12.0, 12.6);
        QVERIFY(player.isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(!player.isPlaying(), 10000);
        QCOMPARE(playing.count(), 2);
        QVERIFY(!positions.empty());
        for (double s : positions)
            QVERIFY2(s >= 12.0 && s <= 12.6, qPrintable(QString::number(s)));
        QCOMPARE(player.positionSeconds(), 12.6);

        // Play goes on from there; a seek while playing jumps; the end of the file ends it.
        positions.clear();
        player.play();
        QTRY_VERIFY_WITH_TIMEOUT(player.positionSeconds() > 12.8, 5000);
        player.seek(19.0);
        QVERIFY(player.isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(!player.isPlaying(), 10000);
        QCOMPARE(player.positionSeconds(), kSeconds);
        QVERIFY(std::any_of(positions.begin(), positions.end(), [](double s) { return s >= 19.0 && s < kSeconds; }));

        // Pause keeps the position, and Play resumes there.
        player.seek(5.0);
        player.play();
        QTRY_VERIFY_WITH_TIMEOUT(player.positionSeconds() > 5.3, 5000);
        player.pause();
        const double pausedAt = player.positionSeconds();
        QVERIFY2(pausedAt > 5.3 && pausedAt < 7.0, qPrintable(QString::number(pausedAt)));
        QTest::qWait(300);
        QCOMPARE(player.positionSeconds(), pausedAt);
        positions.clear();
        player.play();
        QTRY_VERIFY_WITH_TIMEOUT(!positions.empty(), 5000);
        QVERIFY2(positions.front() >= pausedAt && positions.front() < pausedAt + 0.5, qPrintable(QString::number(positions.front())));
        player.stop();
        QCOMPARE(errors.count(), 0);

        // Back to in-memory audio: the stream is gone.
        player.setAudio({});
        QVERIFY(!player.hasMedia());
    }

    void vanishedFileIsReported()
    {
        const QString gone = dir_.filePath(QStringLiteral("gone.wav"));
        QVERIFY(QFile::copy(file_, gone));
        AudioPlayer player;
        QSignalSpy errors(&player, &AudioPlayer::error);
        QVERIFY(QFile::remove(gone)); // removed before the stream opens it
        player.setStream(gone, kSeconds, 16000);
        player.play();
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 5000);
        QVERIFY2(errors.first().first().toString().contains(gone), qPrintable(errors.first().first().toString()));
        QVERIFY(!player.isPlaying());
        QTest::qWait(300);
        QCOMPARE(errors.count(), 1); // once per Play, not once per attempt to read ahead
    }
};

QTEST_MAIN(TestStreamedPlayer)
#include "test_streamed_player.moc"
