// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/StreamedPcmSource.h"

#include "audio/AudioStreamReader.h"
#include "audio/SampleRing.h"
#include "engine/Async.h"
#include "engine/PcmConvert.h"

#include <QMetaObject>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>

StreamedPcmSource::StreamedPcmSource(const QString& path, const QAudioFormat& format, qint64 totalFrames,
                                     QObject* parent)
    : QIODevice(parent), path_(path), format_(format), totalFrames_(std::max<qint64>(0, totalFrames)),
      bytesPerFrame_(std::max(1, format.bytesPerFrame())),
      ringCapacity_(std::size_t(std::max(1.0, std::ceil(kAheadSeconds * std::max(1, format.sampleRate()))))),
      ring_(std::make_unique<emoscope::SampleRing>(ringCapacity_))
{
}

StreamedPcmSource::~StreamedPcmSource()
{
    stopWorker();
}

bool StreamedPcmSource::open(OpenMode mode)
{
    if ((mode & WriteOnly) || !(mode & ReadOnly) || isOpen() || format_.sampleRate() <= 0)
        return false;
    stopWorker();
    {
        const std::lock_guard lock(mutex_);
        ring_->clear();
        pending_.clear();
        fileEndFrame_ = -1;
        seekFrame_ = 0;
        seekPending_ = true; // the worker opens the file and starts at frame 0
        ++generation_;
        decodedToEnd_ = false;
        quit_ = false;
        error_.clear();
    }
    if (!QIODevice::open(mode | Unbuffered))
        return false;
    worker_ = std::thread([this] { decodeLoop(); });
    return true;
}

void StreamedPcmSource::close()
{
    stopWorker();
    QIODevice::close();
}

void StreamedPcmSource::stopWorker()
{
    if (!worker_.joinable())
        return;
    {
        const std::lock_guard lock(mutex_);
        quit_ = true;
    }
    wake_.notify_all();
    worker_.join(); // at most one block's decode away (about half a second of audio: milliseconds)
}

qint64 StreamedPcmSource::endFrame() const
{
    qint64 end = totalFrames_;
    if (limitFrame_ >= 0)
        end = std::min(end, limitFrame_);
    if (fileEndFrame_ >= 0)
        end = std::min(end, fileEndFrame_);
    return end;
}

qint64 StreamedPcmSource::size() const
{
    const std::lock_guard lock(mutex_);
    return endFrame() * bytesPerFrame_;
}

void StreamedPcmSource::setEndFrame(qint64 frame)
{
    const std::lock_guard lock(mutex_);
    limitFrame_ = frame < 0 ? -1 : frame;
}

bool StreamedPcmSource::seek(qint64 pos)
{
    pos -= pos % bytesPerFrame_; // whole frames only
    if (!QIODevice::seek(pos))
        return false;
    {
        const std::lock_guard lock(mutex_);
        // What the ring holds belongs to the old position; a block being decoded now is dropped (generation).
        ring_->clear();
        pending_.clear();
        seekFrame_ = pos / bytesPerFrame_;
        seekPending_ = true;
        ++generation_;
        decodedToEnd_ = false;
        fileEndFrame_ = -1;
        error_.clear(); // a damaged stretch need not spoil the rest: the worker tries again from here
    }
    wake_.notify_all();
    return true;
}

qint64 StreamedPcmSource::bytesAvailable() const
{
    const std::lock_guard lock(mutex_);
    if (!isOpen() || !error_.isEmpty())
        return 0;
    // To the end, decoded or not: "nothing buffered yet" is an underrun, not the end of the stream.
    return std::max<qint64>(0, endFrame() * bytesPerFrame_ - pos());
}

bool StreamedPcmSource::atEnd() const
{
    return bytesAvailable() == 0;
}

bool StreamedPcmSource::waitForReadyRead(int msecs)
{
    std::unique_lock lock(mutex_);
    const auto ready = [this] {
        return ring_->available() > 0 || !error_.isEmpty() || (decodedToEnd_ && pending_.empty()) || !isOpen();
    };
    if (msecs < 0)
        ready_.wait(lock, ready);
    else
        ready_.wait_for(lock, std::chrono::milliseconds(msecs), ready);
    return ring_->available() > 0;
}

bool StreamedPcmSource::hasFailed() const
{
    const std::lock_guard lock(mutex_);
    return !error_.isEmpty();
}

std::size_t StreamedPcmSource::bufferedSamples() const
{
    const std::lock_guard lock(mutex_);
    return ring_->available() + pending_.size();
}

std::size_t StreamedPcmSource::bufferLimitSamples() const
{
    // One read() of AudioStreamReader appends at most about 2^18 input frames' worth (its resampler emits blocks of
    // 2^17 input frames and the rest at the end); at the output rate that is never more than 2^18 * out/in samples.
    const std::lock_guard lock(mutex_);
    const double upsampling = fileRate_ > 0 ? std::max(1.0, double(format_.sampleRate()) / fileRate_) : 1.0;
    return ringCapacity_ + std::size_t(std::ceil((1 << 18) * upsampling));
}

qint64 StreamedPcmSource::readData(char* data, qint64 maxSize)
{
    const qint64 framePos = pos() / bytesPerFrame_;
    {
        const std::lock_guard lock(mutex_);
        const qint64 wanted = std::min(maxSize / bytesPerFrame_, endFrame() - framePos);
        if (wanted <= 0 || !error_.isEmpty())
            return 0;
        scratch_.resize(std::size_t(wanted));
        scratch_.resize(ring_->read(scratch_.data(), scratch_.size()));
    }
    if (scratch_.empty())
        return 0; // the worker has not caught up: readyRead follows
    wake_.notify_all(); // room in the ring
    const QByteArray pcm = monoFloatToPcm(scratch_, format_);
    std::memcpy(data, pcm.constData(), std::size_t(pcm.size()));
    return pcm.size();
}

qint64 StreamedPcmSource::writeData(const char*, qint64)
{
    return -1; // read-only
}

// The worker: opens the file, follows seeks, keeps the ring kAheadSeconds ahead. It decodes with the mutex released,
// so readData() never waits for a decode; a block decoded across a seek is dropped by its generation.
void StreamedPcmSource::decodeLoop()
{
    std::unique_ptr<emoscope::AudioStreamReader> reader;
    const int rate = format_.sampleRate();
    qint64 decodedFrame = 0; // the frame the next decoded sample belongs to
    std::vector<float> block;
    std::unique_lock lock(mutex_);
    const auto fail = [&](const QString& message) {
        error_ = message;
        pending_.clear();
        decodedToEnd_ = true;
        ready_.notify_all();
        QMetaObject::invokeMethod(this, [this, message] { Q_EMIT failed(message); }, Qt::QueuedConnection);
    };
    const auto hasWork = [&] {
        if (quit_ || seekPending_)
            return true;
        if (!error_.isEmpty())
            return false;
        const std::size_t room = ringCapacity_ - ring_->available();
        return pending_.empty() ? !decodedToEnd_ && room > 0 : room > 0;
    };
    for (;;) {
        wake_.wait(lock, hasWork);
        if (quit_)
            return;
        if (seekPending_) {
            seekPending_ = false;
            const qint64 frame = seekFrame_;
            const quint64 generation = generation_;
            lock.unlock();
            QString failure;
            try {
                if (!reader) {
                    reader = std::make_unique<emoscope::AudioStreamReader>(engine::toCore(path_),
                                                                           emoscope::DecodeOptions{rate, 0.0, 0.0});
                }
                reader->seek(double(frame) / rate);
            } catch (...) {
                failure = engine::currentExceptionText();
            }
            lock.lock();
            if (reader)
                fileRate_ = reader->info().sampleRate;
            decodedFrame = frame;
            if (!failure.isEmpty() && generation == generation_) // a newer seek tries again instead
                fail(failure);
            continue;
        }
        if (!pending_.empty()) {
            const bool wasEmpty = ring_->available() == 0;
            const std::size_t stored = ring_->write(pending_.data(), pending_.size());
            pending_.erase(pending_.begin(), pending_.begin() + std::ptrdiff_t(stored));
            if (stored > 0) {
                ready_.notify_all();
                if (wasEmpty) // a pulling sink that found nothing waits for this to pull again
                    QMetaObject::invokeMethod(this, [this] { Q_EMIT readyRead(); }, Qt::QueuedConnection);
            }
            continue;
        }
        const quint64 generation = generation_;
        lock.unlock();
        block.clear();
        bool more = false;
        QString failure;
        try {
            if (!reader)
                throw std::logic_error("no reader"); // cannot happen: a failed open leaves an error until a seek
            more = reader->read(block);
        } catch (...) {
            failure = engine::currentExceptionText();
        }
        lock.lock();
        if (generation != generation_)
            continue; // a seek came while decoding: this block belongs to the old position
        if (!failure.isEmpty()) {
            fail(failure);
            continue;
        }
        decodedFrame += qint64(block.size());
        pending_.swap(block);
        if (!more) {
            decodedToEnd_ = true;
            fileEndFrame_ = decodedFrame;
            ready_.notify_all();
            if (pending_.empty())
                QMetaObject::invokeMethod(this, [this] { Q_EMIT readyRead(); }, Qt::QueuedConnection);
        }
    }
}
