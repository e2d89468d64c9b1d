// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/CaptureSink.h"

#include "engine/PcmConvert.h"
#include "audio/SampleRing.h"

#include <algorithm>
#include <cmath>

CaptureSink::CaptureSink(emoscope::SampleRing* ring, const QAudioFormat& format, std::function<void()> onData, QObject* parent)
    : QIODevice(parent), ring_(ring), format_(format), onData_(std::move(onData))
{
}

qint64 CaptureSink::readData(char*, qint64)
{
    return -1; // write-only
}

qint64 CaptureSink::writeData(const char* data, qint64 size)
{
    scratch_.clear();
    qint64 used = 0;
    if (!partial_.isEmpty()) {
        const qint64 need = format_.bytesPerFrame() - partial_.size();
        const qint64 take = std::min(need, size);
        partial_.append(data, take);
        used = take;
        if (partial_.size() == format_.bytesPerFrame()) {
            appendPcmAsMonoFloat(partial_.constData(), partial_.size(), format_, scratch_);
            partial_.clear();
        }
    }
    used += appendPcmAsMonoFloat(data + used, size - used, format_, scratch_);
    if (used < size)
        partial_.append(data + used, size - used);

    float peak = 0.0f;
    for (float s : scratch_)
        peak = std::max(peak, std::abs(s));
    float previous = peak_.load();
    while (peak > previous && !peak_.compare_exchange_weak(previous, peak)) {
    }
    frames_ += qint64(scratch_.size());
    ring_->write(scratch_.data(), scratch_.size());
    if (onData_ && !scratch_.empty())
        onData_();
    return size;
}
