// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "engine/LiveSnapshot.h"
#include "engine/RecordedTake.h"
#include "infer/Verdict.h"

#include <QAudioDevice>
#include <QAudio>
#include <QAudioFormat>
#include <QDateTime>
#include <QObject>
#include <QPointer>
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

    enum class Failure { Reported, Quiet };
    // Records from a real input device at its preferred format. False (and error(), unless Quiet) when it
    // cannot start; nothing else is emitted for a start that failed but recordingChanged.
    bool start(const QAudioDevice& device, Failure failure = Failure::Reported);
    // Records whatever PCM in `format` is written to the returned device (tests, fake sources).
    QIODevice* startPushed(const QAudioFormat& format);
    // Ends the take: takeFinished() then takeClassified() (or error()) follow asynchronously.
    void stop();
    // Writes the last take as a WAV file atomically, on a worker; takeSaved() follows (error empty on success).
    void saveTake(const QString& path);
    // Forgets the last take (and its recovery file): the user chose not to keep it.
    void discardTake();
    // A finished take that was neither saved nor discarded (what quitting or a new take would lose).
    bool hasUnsavedTake() const;

    // Until it is saved, every finished take is also written here (engine::dataFolder("recovery"):
    // ~/.local/share/Emoscope/recovery), so a crash or a kill does not lose it.
    static QString recoveryFolder();
    // Loads the newest take left in recoveryFolder() by an earlier run; takeRecovered() follows on success.
    void restoreRecoveredTake();
    QString recoveryPath() const { return recoveryPath_; }
    // A recovery copy is being written (it is flushed to disk, which can take seconds while the disk is busy); a copy
    // whose take was saved or discarded meanwhile is removed as soon as its write ends.
    bool isWritingRecovery() const { return !recoveryWrites_.isEmpty(); }

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
    // The input went away mid-take (unplugged, sound server stopped): the take so far is finished as usual.
    void deviceLost(const QString& message);
    // A take from an earlier run was found in the recovery folder and is now lastTake() (unsaved).
    void takeRecovered(std::shared_ptr<const RecordedTake> take, const QDateTime& recordedAt);
    void unsavedChanged(bool unsaved);

private:
    QIODevice* begin(const QAudioFormat& format);
    void frame();
    void pollCapture();
    void classifyLive(emoscope::AudioBuffer window, quint64 generation);
    void onTakeFinished(std::shared_ptr<RecordedTake> take, quint64 generation);
    void detachInput();
    void loseDevice();
    void setUnsaved(bool unsaved);
    void classifyTake(std::shared_ptr<const RecordedTake> take, quint64 generation);
    void writeRecovery();
    void removeRecovery();

    CurrentModel* model_;
    QThread thread_;
    RecorderWorker* worker_ = nullptr; // lives on thread_
    std::unique_ptr<QAudioSource> source_;
    // The source's pull-mode device, owned by source_. Qt deletes it itself when the stream fails (device
    // unplugged, server gone), before we hear of it: a guarded pointer, so it is never read after that.
    QPointer<QIODevice> input_;
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
    QByteArray deviceId_;      // the input being recorded
    QString deviceName_;
    bool deviceLost_ = false;  // set when the input went away mid-take, until stop() has finished the take
    bool takeSaved_ = true;    // nothing to lose until a take with samples finishes
    QString recoveryPath_;     // this take's recovery copy, removed once it is saved or discarded
    QStringList recoveryWrites_; // recovery copies still being written
};
