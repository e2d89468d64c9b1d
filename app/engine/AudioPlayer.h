// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"

#include <QAudio>
#include <QAudioFormat>
#include <QBuffer>
#include <QObject>
#include <QTimer>
#include <memory>
#include <optional>
#include <utility>

class QAudioSink;
class StreamedPcmSource;

// Plays decoded mono samples from memory through QAudioSink (no media framework needed) and reports the
// play position so views can draw a cursor. Lives on the GUI thread; the audio backend pulls from a QBuffer,
// or, for a file too long to hold in memory (setStream), from a StreamedPcmSource that decodes as it plays.
class AudioPlayer : public QObject {
    Q_OBJECT
public:
    explicit AudioPlayer(QObject* parent = nullptr);
    ~AudioPlayer() override;

    // Empty when an output device exists; otherwise why playback is unavailable.
    QString unavailableReason() const;
    bool isAvailable() const { return unavailableReason().isEmpty(); }

    void setAudio(const emoscope::AudioBuffer& audio);
    // Plays the file at path without holding it in memory (a streamed long recording): decoded on a thread of its
    // own at the file's rate (nativeSampleRate; the output device's preferred rate when it cannot take that one).
    // Play, pause, seek, playRange and the position work as with setAudio. Decoding errors arrive as error().
    void setStream(const QString& path, double durationSeconds, int nativeSampleRate);
    // Something to play: samples from setAudio, or a stream.
    bool hasMedia() const;
    double durationSeconds() const { return duration_; }
    double positionSeconds() const;
    bool isPlaying() const { return playing_; }
    // The range being played (playRange), until it ends or a seek leaves it.
    std::optional<std::pair<double, double>> range() const { return range_; }

public Q_SLOTS:
    void play();
    void pause();
    void togglePlay();
    void stop();
    void seek(double seconds);
    // Plays [start, end] and stops at end (Play selection); pause and play resume within it.
    void playRange(double start, double end);

Q_SIGNALS:
    void positionChanged(double seconds);
    void playingChanged(bool playing);
    void error(const QString& message);

private:
    void startAt(double seconds);
    void tick();
    void onSinkState(QAudio::State state);
    void finishIfDrained();
    double endSeconds() const { return range_ ? range_->second : duration_; }
    QIODevice* source();
    void clearMedia();

    QAudioFormat format_;
    QByteArray pcm_;
    QBuffer buffer_;
    std::unique_ptr<StreamedPcmSource> stream_; // set instead of pcm_ for a streamed file; outlives sink_
    std::unique_ptr<QAudioSink> sink_;
    QTimer ticker_;
    double duration_ = 0;
    double startOffset_ = 0; // where the current sink run began, in seconds
    double pausedAt_ = 0;
    double lastTickAt_ = 0; // the position the last tick showed: Qt resets the sink's count when the output is lost
    bool playing_ = false;
    std::optional<std::pair<double, double>> range_;
};
