// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QAudioFormat>
#include <QIODevice>
#include <QString>

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace emoscope {
class SampleRing;
}

// PCM of an audio file for QAudioSink, decoded as it plays: for recordings too long to hold in memory (issue 9).
// A worker thread of its own decodes with an AudioStreamReader at the format's rate and keeps a bounded ring of
// samples ahead of the read position (kAheadSeconds, plus at most one decoded block waiting for room); readData()
// on the sink's thread only copies from the ring and converts to the format. A random-access device: seek() jumps
// anywhere, size() is the byte where playing stops (the end of the file, or of a range: setEndFrame). When the
// worker has not caught up, readData() returns 0 with bytes still available (an underrun, not the end), and
// readyRead follows once samples are there, which restarts a pulling QAudioSink.
// Decoding errors (the file vanished or is damaged) end the stream and are reported by failed().
class StreamedPcmSource : public QIODevice {
    Q_OBJECT
public:
    // format: mono or more channels (the same sample on each), any QAudioFormat sample type. totalFrames: the
    // file's length at the format's rate as far as known (the stream ends earlier if the file does).
    StreamedPcmSource(const QString& path, const QAudioFormat& format, qint64 totalFrames, QObject* parent = nullptr);
    ~StreamedPcmSource() override;

    // Opens ReadOnly (Unbuffered is added: the ring is the buffer) and starts decoding at frame 0.
    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override;
    bool seek(qint64 pos) override;
    qint64 bytesAvailable() const override;
    bool atEnd() const override;
    // Waits (up to msecs; -1 forever) until samples are ready to read, the stream ended or failed.
    bool waitForReadyRead(int msecs) override;

    // Playing stops at this frame (a range's end); -1 plays to the end of the file.
    void setEndFrame(qint64 frame);
    const QAudioFormat& format() const { return format_; }
    // Decoding failed (failed() was or is about to be emitted); cleared by the next seek.
    bool hasFailed() const;
    // Samples held in memory now (ring plus the block waiting for room), to show the bound holds.
    std::size_t bufferedSamples() const;
    // The most bufferedSamples() can reach: kAheadSeconds plus one decoded block.
    std::size_t bufferLimitSamples() const;

    // How far ahead of the read position decoding runs.
    static constexpr double kAheadSeconds = 3.0;

Q_SIGNALS:
    // The file could not be decoded; message names the file and the reason.
    void failed(const QString& message);

protected:
    qint64 readData(char* data, qint64 maxSize) override;
    qint64 writeData(const char* data, qint64 maxSize) override;

private:
    void decodeLoop();
    void stopWorker();
    qint64 endFrame() const; // under mutex_

    const QString path_;
    const QAudioFormat format_;
    const qint64 totalFrames_;
    const qint64 bytesPerFrame_;
    const std::size_t ringCapacity_; // samples: kAheadSeconds at the format's rate
    std::vector<float> scratch_;     // readData's samples on their way to PCM (the reading thread only)

    mutable std::mutex mutex_; // guards everything below; never held while decoding
    std::condition_variable wake_;  // the worker: a seek, room in the ring, quit
    std::condition_variable ready_; // waitForReadyRead: samples, the end, a failure
    std::unique_ptr<emoscope::SampleRing> ring_;
    std::vector<float> pending_; // decoded, waiting for room in the ring
    qint64 limitFrame_ = -1;     // setEndFrame
    qint64 fileEndFrame_ = -1;   // where the file really ended, once the worker met its end
    qint64 seekFrame_ = 0;       // the frame the ring starts at after the pending seek
    quint64 generation_ = 0;     // bumped by every seek: a block decoded before it is dropped
    bool seekPending_ = false;
    bool decodedToEnd_ = false;
    bool quit_ = false;
    int fileRate_ = 0;           // the file's own rate, once the worker opened it
    QString error_;
    std::thread worker_;
};
