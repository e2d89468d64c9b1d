// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/AudioPlayer.h"

#include "engine/PcmConvert.h"
#include "engine/StreamedPcmSource.h"

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

namespace {

// Mono float at `rate` when the device takes it, else 16-bit (every backend plays that).
QAudioFormat playbackFormat(const QAudioDevice& device, int rate)
{
    QAudioFormat format;
    format.setSampleRate(rate);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Float);
    if (!device.isNull() && !device.isFormatSupported(format))
        format.setSampleFormat(QAudioFormat::Int16);
    return format;
}

} // namespace

void AudioPlayer::clearMedia()
{
    stop();
    sink_.reset(); // before the stream it pulls from
    buffer_.close();
    buffer_.setData(QByteArray()); // it may share pcm_'s bytes (startAt)
    stream_.reset();
    pcm_.clear();
}

bool AudioPlayer::hasMedia() const
{
    return stream_ || !pcm_.isEmpty();
}

QIODevice* AudioPlayer::source()
{
    return stream_ ? static_cast<QIODevice*>(stream_.get()) : &buffer_;
}

void AudioPlayer::setAudio(const emoscope::AudioBuffer& audio)
{
    clearMedia();
    format_ = playbackFormat(QMediaDevices::defaultAudioOutput(), audio.sampleRate);
    // Convert once so the backend only copies bytes while playing.
    pcm_ = monoFloatToPcm(audio.samples, format_);
    buffer_.setData(pcm_);
    duration_ = audio.durationSeconds();
    startOffset_ = pausedAt_ = 0;
    range_.reset();
    Q_EMIT positionChanged(0);
}

void AudioPlayer::setStream(const QString& path, double durationSeconds, int nativeSampleRate)
{
    clearMedia();
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    int rate = nativeSampleRate > 0 ? nativeSampleRate : 48000;
    format_ = playbackFormat(device, rate);
    if (!device.isNull() && !device.isFormatSupported(format_)) {
        rate = device.preferredFormat().sampleRate(); // the stream resamples to it
        format_ = playbackFormat(device, rate);
    }
    duration_ = std::max(0.0, durationSeconds);
    stream_ = std::make_unique<StreamedPcmSource>(path, format_, std::llround(duration_ * rate));
    connect(stream_.get(), &StreamedPcmSource::failed, this, [this](const QString& message) {
        // Reading ahead while paused may fail too: Play seeks, which tries again, and reports it then.
        if (!playing_)
            return;
        pause(); // keeps the position, as when the output goes away: Play tries again from there
        Q_EMIT error(tr("Playback stopped: %1").arg(message));
    });
    stream_->open(QIODevice::ReadOnly); // the file is opened and read ahead on the stream's own thread
    startOffset_ = pausedAt_ = 0;
    range_.reset();
    Q_EMIT positionChanged(0);
}

double AudioPlayer::positionSeconds() const
{
    if (!playing_ || !sink_)
        return pausedAt_;
    return std::min(endSeconds(), startOffset_ + double(sink_->processedUSecs()) / 1e6);
}

void AudioPlayer::play()
{
    if (playing_ || !hasMedia())
        return;
    if (!isAvailable()) {
        Q_EMIT error(unavailableReason());
        return;
    }
    if (range_ && (pausedAt_ < range_->first || pausedAt_ >= range_->second))
        pausedAt_ = range_->first;
    startAt(pausedAt_ >= duration_ ? 0.0 : pausedAt_);
}

void AudioPlayer::startAt(double seconds)
{
    if (sink_) {
        sink_->disconnect(this);
        sink_->stop(); // one stream at a time: the old one ends before the new one starts
    }
    sink_ = std::make_unique<QAudioSink>(QMediaDevices::defaultAudioOutput(), format_);
    connect(sink_.get(), &QAudioSink::stateChanged, this, &AudioPlayer::onSinkState);
    const qint64 bytesPerFrame = format_.bytesPerFrame();
    const qint64 frame = qint64(seconds * format_.sampleRate());
    if (stream_) {
        // The same two limits on the stream: it ends at the range's end and starts decoding at the frame.
        stream_->setEndFrame(range_ ? qint64(range_->second * format_.sampleRate()) : -1);
        stream_->seek(std::max<qint64>(0, frame) * bytesPerFrame);
    } else {
        buffer_.close();
        // A range ends where the data ends: the sink drains exactly at its end, with no timer to overshoot it.
        // fromRawData shares pcm_'s bytes, which outlive every run.
        const qint64 endByte = range_ ? std::clamp<qint64>(qint64(range_->second * format_.sampleRate()) * bytesPerFrame,
                                                          0, pcm_.size())
                                      : pcm_.size();
        buffer_.setData(QByteArray::fromRawData(pcm_.constData(), endByte));
        buffer_.open(QIODevice::ReadOnly);
        buffer_.seek(std::clamp<qint64>(frame * bytesPerFrame, 0, pcm_.size()));
    }
    startOffset_ = seconds;
    lastTickAt_ = seconds;
    playing_ = true;
    sink_->start(source());
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
    if (sink_)
        sink_->stop(); // also the tail of a run that already reported its end
    pausedAt_ = 0;
    range_.reset();
}

void AudioPlayer::seek(double seconds)
{
    seconds = std::clamp(seconds, 0.0, duration_);
    if (range_ && (seconds < range_->first || seconds > range_->second))
        range_.reset(); // a click elsewhere plays on to the end of the file
    if (playing_) {
        startAt(seconds);
    } else {
        pausedAt_ = seconds;
    }
    Q_EMIT positionChanged(seconds);
}

void AudioPlayer::onSinkState(QAudio::State state)
{
    if (!playing_ || !sink_)
        return;
    if (state == QAudio::StoppedState && sink_->error() != QAudio::NoError) {
        // The output went away (unplugged, sound server stopped): keep the position so Play resumes there. By
        // now Qt has closed the stream and its processed count reads 0: the last tick knows where it was.
        pausedAt_ = std::max(positionSeconds(), lastTickAt_);
        playing_ = false;
        ticker_.stop();
        Q_EMIT positionChanged(pausedAt_);
        Q_EMIT playingChanged(false);
        Q_EMIT error(tr("Playback stopped: the audio output is no longer available."));
        return;
    }
    if (state == QAudio::IdleState)
        finishIfDrained();
}

void AudioPlayer::finishIfDrained()
{
    // IdleState also means an underrun (a busy machine fed the sink too late) while data remains: the sink then
    // resumes by itself, and the player is still playing. Only idle with every byte handed over is the end.
    if (!playing_ || !sink_ || sink_->state() != QAudio::IdleState || source()->bytesAvailable() > 0)
        return;
    if (stream_ && stream_->hasFailed())
        return; // not the end: the stream's failed() stops playing and says why
    playing_ = false;
    ticker_.stop();
    pausedAt_ = endSeconds();
    range_.reset(); // the next Play goes on from the end of the range
    Q_EMIT positionChanged(pausedAt_);
    Q_EMIT playingChanged(false);
}

void AudioPlayer::tick()
{
    finishIfDrained(); // in case the idle state came while the last bytes were still being handed over
    if (playing_) {
        lastTickAt_ = positionSeconds();
        Q_EMIT positionChanged(lastTickAt_);
    }
}

void AudioPlayer::playRange(double start, double end)
{
    start = std::clamp(start, 0.0, duration_);
    end = std::clamp(end, start, duration_);
    if (end <= start || !hasMedia())
        return;
    range_ = std::make_pair(start, end);
    pausedAt_ = start;
    if (playing_)
        startAt(start);
    else
        play();
    Q_EMIT positionChanged(start);
}
