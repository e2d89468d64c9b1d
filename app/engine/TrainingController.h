// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "engine/TrainRequest.h"
#include "train/Dataset.h"
#include "train/Trainer.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <atomic>
#include <memory>

Q_DECLARE_METATYPE(emoscope::BatchProgress)
Q_DECLARE_METATYPE(emoscope::EpochReport)

// Runs one emoscope::Trainer at a time on its own worker thread and reports through queued signals,
// so the GUI thread never waits on training. Owns the cancel flag, the checkpoint location and the
// trained model (kept after the run for "use" and "save"). Lives on the GUI thread.
class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override; // cancels and waits for a running job

    // Options the UI does not expose (architecture, features, seed, threads...). optionsFor() builds on these.
    const emoscope::TrainOptions& baseOptions() const { return baseOptions_; }
    void setBaseOptions(const emoscope::TrainOptions& options) { baseOptions_ = options; }

    // The options of a run the Train tab asks for: baseOptions() with the request's choices and the GUI's
    // provenance words, checked by TrainOptions::validate() (the limits the CLI applies too). On a problem returns
    // nothing and sets *problem to one sentence for the status line.
    std::optional<emoscope::TrainOptions> optionsFor(const TrainRequest& request, QString* problem) const;

    // Per-batch updates are coalesced to at most one signal per interval (the last batch of an epoch always
    // gets one): a fast tiny model would otherwise flood the GUI event queue.
    void setBatchSignalInterval(int milliseconds) { batchIntervalMs_ = milliseconds; }

    // Splits the dataset as requested (emoscope::resolveSplit: the same meaning of every mode as the CLI),
    // then trains, both on the worker thread; the split's description becomes the card's provenance.
    // splitReady() follows the split; a split that cannot be made ends the run with finished(false, reason)
    // and splitFailed() true. Returns false (and does nothing) when a run is already going. When options has
    // no checkpoint path, one under AppDataLocation (or the temp dir) is used; see checkpointPath().
    bool start(std::shared_ptr<const emoscope::Dataset> dataset, const emoscope::SplitSpec& requested,
               emoscope::TrainOptions options);
    // Sets the cancel flag; the Trainer returns within one batch and finished(true, ...) follows.
    void cancel();

    bool isRunning() const { return running_; }
    // The split of this run: valid from splitReady() until the next start().
    const emoscope::ResolvedSplit& split() const { return split_; }
    // The last run ended because its split could not be made (finished() carries the reason).
    bool splitFailed() const { return splitFailed_; }
    // The running job's checkpoint; empty once the run has ended and the file is removed.
    QString checkpointPath() const { return checkpointPath_; }

    // Batches the Trainer reported in this run (every callback, not just the signalled ones) and the
    // number it planned (epochs x batches per epoch, known after the first batch).
    int batchesCompleted() const { return batchesCompleted_.load(); }
    int batchesPlanned() const { return batchesPlanned_.load(); }

    // Valid after finished() (until the next start()).
    const emoscope::TrainResult& result() const { return result_; }
    // The best model so far; null when the run failed or stopped before any epoch was kept.
    std::shared_ptr<const emoscope::Classifier> classifier() const { return classifier_; }
    bool hasModel() const { return classifier_ != nullptr; }
    // Atomic write on a worker thread (Trainer::saveModel); emits saved() or saveFailed().
    void saveModelAsync(const QString& path);
    // Card of the trained model (provenance and metrics), empty text when there is none.
    QString modelSummary() const;

Q_SIGNALS:
    void started();
    void splitReady(int trainClips, int testClips, const QString& description);
    void preparing(const QString& stage, int done, int total); // feature extraction before the first epoch
    void batchProgress(const emoscope::BatchProgress& progress);
    void epochFinished(const emoscope::EpochReport& report);
    void logMessage(const QString& text);
    // error is empty on success and on cancel.
    void finished(bool cancelled, const QString& error);
    void saved(const QString& path);
    void saveFailed(const QString& message);

private:
    void removeCheckpoint();
    void runOnWorker(std::shared_ptr<const emoscope::Dataset> dataset, const emoscope::SplitSpec& requested,
                     emoscope::TrainOptions options);

    emoscope::TrainOptions baseOptions_;
    int batchIntervalMs_ = 100;
    QThreadPool pool_; // one worker thread, low priority
    bool running_ = false;
    std::atomic<bool> cancel_{false};
    std::atomic<int> batchesCompleted_{0};
    std::atomic<int> batchesPlanned_{0};
    QString checkpointPath_;

    // Written by the worker, read on the GUI thread only after splitReady() (split_) or after the worker has
    // finished (the rest).
    emoscope::ResolvedSplit split_;
    bool splitFailed_ = false;
    std::shared_ptr<emoscope::Trainer> trainer_;
    emoscope::TrainResult result_;
    std::shared_ptr<const emoscope::Classifier> classifier_;
    QString workerError_;
};
