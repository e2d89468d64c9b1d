// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QAudioFormat>
#include <QIODevice>
#include <atomic>
#include <functional>
#include <vector>

namespace emoscope {
class SampleRing;
}

// The write end of the recorder: QAudioSource pushes PCM here (or a test does). It only converts to mono
// float, copies into the ring, tracks the peak level and pokes the analysis worker: no analysis, no locks.
class CaptureSink : public QIODevice {
    Q_OBJECT
public:
    CaptureSink(emoscope::SampleRing* ring, const QAudioFormat& format, std::function<void()> onData, QObject* parent = nullptr);

    const QAudioFormat& format() const { return format_; }
    // Largest absolute sample since the last call (0..1), then resets.
    float takePeak() { return peak_.exchange(0.0f); }
    qint64 framesWritten() const { return frames_; }

protected:
    qint64 readData(char* data, qint64 maxSize) override;
    qint64 writeData(const char* data, qint64 size) override;

private:
    emoscope::SampleRing* ring_;
    QAudioFormat format_;
    std::function<void()> onData_;
    QByteArray partial_;          // bytes of an incomplete frame, completed by the next write
    std::vector<float> scratch_;  // reused so steady-state capture does not allocate
    std::atomic<float> peak_{0.0f};
    qint64 frames_ = 0;
};
