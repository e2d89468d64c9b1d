// SPDX-License-Identifier: GPL-3.0-or-later
// AudioPlayer::playRange (Analyze's Play selection) through a private PulseAudio server with a null sink
// (tests/gui/PrivatePulse.h): the range plays and stops by itself at its end, every position reported meanwhile lies
// inside it, Play afterwards goes on from the range's end to the end of the file, and a seek outside a range that is
// playing drops the range.
#include "PrivatePulse.h"

#include "engine/AudioPlayer.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <csignal>

class TestPlaySelection : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<PrivatePulse> pulse_;

    static emoscope::AudioBuffer tone(double seconds)
    {
        emoscope::AudioBuffer a;
        a.sampleRate = 16000;
        a.samples.resize(std::size_t(seconds * a.sampleRate));
        for (std::size_t i = 0; i < a.samples.size(); ++i)
            a.samples[i] = 0.2f * float(std::sin(2 * M_PI * 440.0 * double(i) / a.sampleRate));
        return a;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        ::signal(SIGPIPE, SIG_IGN);
        pulse_ = std::make_unique<PrivatePulse>(dir_.path());
        pulse_->exportEnvironment();
        QVERIFY2(pulse_->start(), qPrintable(QStringLiteral("pulseaudio did not come up; log in %1").arg(pulse_->log())));
    }
    void cleanupTestCase() { pulse_.reset(); }

    void rangePlaysAndStopsAtItsEnd()
    {
        AudioPlayer player;
        QVERIFY2(player.isAvailable(), qPrintable(player.unavailableReason()));
        player.setAudio(tone(3.0));
        std::vector<double> positions;
        connect(&player, &AudioPlayer::positionChanged, this, [&](double s) {
            if (player.isPlaying())
                positions.push_back(s);
        });
        QSignalSpy playing(&player, &AudioPlayer::playingChanged);
        player.playRange(1.0, 1.6);
        QVERIFY(player.isPlaying());
        QCOMPARE(player.range(), (std::optional<std::pair<double, double>>(std::make_pair(1.0, 1.6))));
        QTRY_VERIFY_WITH_TIMEOUT(!player.isPlaying(), 10000);
        QCOMPARE(playing.count(), 2); // started, then stopped by itself (nothing paused it)
        QVERIFY(!positions.empty());
        for (double s : positions)
            QVERIFY2(s >= 1.0 && s <= 1.6, qPrintable(QString::number(s)));
        QCOMPARE(player.positionSeconds(), 1.6);
        QVERIFY(!player.range());

        // Play goes on from there to the end of the file.
        positions.clear();
        player.play();
        QTRY_VERIFY_WITH_TIMEOUT(!player.isPlaying(), 10000);
        QVERIFY(!positions.empty());
        QVERIFY(positions.front() >= 1.6);
        QCOMPARE(player.positionSeconds(), player.durationSeconds());

        // A seek outside a playing range drops the range; one inside keeps it.
        player.playRange(0.5, 2.5);
        player.seek(1.0);
        QVERIFY(player.range());
        player.seek(2.8);
        QVERIFY(!player.range());
        QVERIFY(player.isPlaying());
        player.stop();
        QCOMPARE(player.positionSeconds(), 0.0);
    }
};

QTEST_MAIN(TestPlaySelection)
#include "test_play_selection.moc"
