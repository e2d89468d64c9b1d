// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/PcmConvert.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace {
template <typename T>
T readAt(const char* p)
{
    T v;
    std::memcpy(&v, p, sizeof(T)); // PCM buffers carry no alignment guarantee
    return v;
}

float sampleAt(const char* p, QAudioFormat::SampleFormat format)
{
    switch (format) {
    case QAudioFormat::UInt8: return (float(readAt<quint8>(p)) - 128.0f) / 128.0f;
    case QAudioFormat::Int16: return float(readAt<qint16>(p)) / 32768.0f;
    case QAudioFormat::Int32: return float(double(readAt<qint32>(p)) / 2147483648.0);
    case QAudioFormat::Float: return readAt<float>(p);
    default: return 0.0f;
    }
}
} // namespace

qint64 appendPcmAsMonoFloat(const char* data, qint64 bytes, const QAudioFormat& format, std::vector<float>& out)
{
    const int channels = format.channelCount();
    const int bytesPerSample = format.bytesPerSample();
    if (channels <= 0 || bytesPerSample <= 0)
        return bytes;
    const qint64 bytesPerFrame = qint64(channels) * bytesPerSample;
    const qint64 frames = bytes / bytesPerFrame;
    const auto sampleFormat = format.sampleFormat();
    out.reserve(out.size() + std::size_t(frames));
    for (qint64 f = 0; f < frames; ++f) {
        const char* frame = data + f * bytesPerFrame;
        float sum = 0.0f;
        for (int c = 0; c < channels; ++c)
            sum += sampleAt(frame + c * bytesPerSample, sampleFormat);
        out.push_back(sum / float(channels));
    }
    return frames * bytesPerFrame;
}

QByteArray monoFloatToPcm(const std::vector<float>& samples, const QAudioFormat& format)
{
    const int channels = std::max(1, format.channelCount());
    const int bytes = format.bytesPerSample();
    QByteArray out(qsizetype(samples.size()) * channels * bytes, Qt::Uninitialized);
    char* p = out.data();
    for (float s : samples) {
        const float v = std::clamp(s, -1.0f, 1.0f);
        for (int c = 0; c < channels; ++c) {
            switch (format.sampleFormat()) {
            case QAudioFormat::Float: std::memcpy(p, &v, 4); break;
            case QAudioFormat::Int32: {
                const auto i = qint32(std::lround(double(v) * 2147483647.0));
                std::memcpy(p, &i, 4);
                break;
            }
            case QAudioFormat::UInt8: *reinterpret_cast<quint8*>(p) = quint8(128 + std::lround(v * 127.0f)); break;
            default: {
                const auto i = qint16(std::lround(v * 32767.0f));
                std::memcpy(p, &i, 2);
                break;
            }
            }
            p += bytes;
        }
    }
    return out;
}
