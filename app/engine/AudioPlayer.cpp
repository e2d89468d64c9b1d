// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/AudioPlayer.h"

#include "engine/PcmConvert.h"

#include <QAudioDevice>
#include <QAudioSink>
#include <QMediaDevices>
#include <algorithm>
#include <cmath>

AudioPlayer::AudioPlayer(QObject* parent) : QObject(parent)
{
    ticker_.setInterval(33); // ~30 fps cursor
    connect(&ticker_, &QTimer::timeout, this, &AudioPlayer::tick);
}

AudioPlayer::~AudioPlayer()
{
    if (sink_)
        sink_->stop();
}

QString AudioPlayer::unavailableReason() const
{
    if (QMediaDevices::audioOutputs().isEmpty())
        return tr("Playback unavailable: no audio output device was found.");
    return {};
}

void AudioPlayer::setAudio(const emoscope::AudioBuffer& audio)
{
    stop();
    sink_.reset();
    buffer_.close();
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    format_ = QAudioFormat();
    format_.setSampleRate(audio.sampleRate);
    format_.setChannelCount(1);
    format_.setSampleFormat(QAudioFormat::Float);
    if (!device.isNull() && !device.isFormatSupported(format_))
        format_.setSampleFormat(QAudioFormat::Int16);
    // Convert once so the backend only copies bytes while playing.
    pcm_ = monoFloatToPcm(audio.samples, format_);
    buffer_.setData(pcm_);
    duration_ = audio.durationSeconds();
    startOffset_ = pausedAt_ = 0;
    Q_EMIT positionChanged(0);
}

double AudioPlayer::positionSeconds() const
{
    if (!playing_ || !sink_)
        return pausedAt_;
    return std::min(duration_, startOffset_ + double(sink_->processedUSecs()) / 1e6);
}

void AudioPlayer::play()
{
    if (playing_ || pcm_.isEmpty())
        return;
    if (!isAvailable()) {
        Q_EMIT error(unavailableReason());
        return;
    }
    startAt(pausedAt_ >= duration_ ? 0.0 : pausedAt_);
}

void AudioPlayer::startAt(double seconds)
{
    if (sink_)
        sink_->stop();
    sink_ = std::make_unique<QAudioSink>(QMediaDevices::defaultAudioOutput(), format_);
    connect(sink_.get(), &QAudioSink::stateChanged, this, [this](QAudio::State state) {
        if (state == QAudio::IdleState && playing_) { // reached the end of the buffer
            playing_ = false;
            ticker_.stop();
            pausedAt_ = duration_;
            Q_EMIT positionChanged(duration_);
            Q_EMIT playingChanged(false);
        } else if (state == QAudio::StoppedState && sink_ && sink_->error() != QAudio::NoError && playing_) {
            playing_ = false;
            ticker_.stop();
            Q_EMIT playingChanged(false);
            Q_EMIT error(tr("Playback stopped: the audio device reported an error."));
        }
    });
    buffer_.close();
    buffer_.open(QIODevice::ReadOnly);
    const qint64 bytesPerFrame = format_.bytesPerFrame();
    const qint64 frame = qint64(seconds * format_.sampleRate());
    buffer_.seek(std::clamp<qint64>(frame * bytesPerFrame, 0, pcm_.size()));
    startOffset_ = seconds;
    playing_ = true;
    sink_->start(&buffer_);
    ticker_.start();
    Q_EMIT playingChanged(true);
}

void AudioPlayer::pause()
{
    if (!playing_)
        return;
    pausedAt_ = positionSeconds();
    playing_ = false;
    ticker_.stop();
    if (sink_)
        sink_->stop();
    Q_EMIT positionChanged(pausedAt_);
    Q_EMIT playingChanged(false);
}

void AudioPlayer::togglePlay()
{
    if (playing_)
        pause();
    else
        play();
}

void AudioPlayer::stop()
{
    pause();
    pausedAt_ = 0;
}

void AudioPlayer::seek(double seconds)
{
    seconds = std::clamp(seconds, 0.0, duration_);
    if (playing_) {
        startAt(seconds);
    } else {
        pausedAt_ = seconds;
    }
    Q_EMIT positionChanged(seconds);
}

void AudioPlayer::tick()
{
    Q_EMIT positionChanged(positionSeconds());
}
