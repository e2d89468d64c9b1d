// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "engine/LiveSnapshot.h"
#include "engine/RecordedTake.h"
#include "infer/Verdict.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QObject>
#include <QStringList>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <memory>
#include <vector>

class CaptureSink;
class CurrentModel;
class QAudioSource;
class RecorderWorker;
namespace emoscope {
class SampleRing;
}

// The Record tab's engine, on the GUI thread. Capture (QAudioSource at the device's preferred format, or
// any QIODevice-style pushed PCM) -> CaptureSink -> SampleRing -> RecorderWorker on its own QThread.
// Live emotion and whole-take classification run on the thread pool; a live request that arrives while the
// previous one is still running is dropped.
class Recorder : public QObject {
    Q_OBJECT
public:
    explicit Recorder(CurrentModel* model, QObject* parent = nullptr);
    ~Recorder() override;

    // Records from a real input device at its preferred format. False (and error()) when it cannot start.
    bool start(const QAudioDevice& device);
    // Records whatever PCM in `format` is written to the returned device (tests, fake sources).
    QIODevice* startPushed(const QAudioFormat& format);
    // Ends the take: takeFinished() then takeClassified() (or error()) follow asynchronously.
    void stop();
    // Writes the last take as a WAV file atomically, on a worker; takeSaved() follows (error empty on success).
    void saveTake(const QString& path);

    bool isRecording() const { return recording_; }
    QAudioFormat captureFormat() const { return format_; }
    std::shared_ptr<const RecordedTake> lastTake() const { return take_; }
    QStringList takeLabels() const { return takeLabels_; }
    const std::vector<float>& takeProbabilities() const { return takeProbabilities_; }
    emoscope::VerdictStatus takeStatus() const { return takeStatus_; }

Q_SIGNALS:
    void recordingChanged(bool recording);
    void liveUpdated(const LiveSnapshot& snapshot); // at most ~30 per second, newest only
    void levelChanged(double peak);                 // 0..1, since the previous frame
    // status: whether the window/take holds enough speech (and a clear enough top emotion) to name one.
    void liveProbabilities(const QStringList& labels, const std::vector<float>& probabilities,
                           emoscope::VerdictStatus status);
    void takeFinished(std::shared_ptr<const RecordedTake> take);
    void takeClassified(const QStringList& labels, const std::vector<float>& probabilities,
                        emoscope::VerdictStatus status);
    void error(const QString& message);
    void takeSaved(const QString& path, const QString& error);

private:
    QIODevice* begin(const QAudioFormat& format);
    void frame();
    void pollCapture();
    void classifyLive(emoscope::AudioBuffer window, quint64 generation);
    void onTakeFinished(std::shared_ptr<RecordedTake> take, quint64 generation);

    CurrentModel* model_;
    QThread thread_;
    RecorderWorker* worker_ = nullptr; // lives on thread_
    std::unique_ptr<QAudioSource> source_;
    QIODevice* input_ = nullptr; // the source's pull-mode device (owned by source_)
    std::shared_ptr<emoscope::SampleRing> ring_; // the current take's; the worker holds it too
    std::unique_ptr<CaptureSink> sink_;
    QAudioFormat format_;
    QTimer frameTimer_;
    QTimer captureTimer_; // polls the device in pull mode
    bool recording_ = false;
    quint64 generation_ = 0; // bumps per take so late results of an older take are ignored
    std::atomic<bool> liveBusy_{false};
    std::shared_ptr<const RecordedTake> take_;
    QStringList takeLabels_;
    std::vector<float> takeProbabilities_;
    emoscope::VerdictStatus takeStatus_ = emoscope::VerdictStatus::NoSpeech;
};
