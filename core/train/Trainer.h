// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/MelMatrix.h"
#include "model/ModelCard.h"
#include "train/Dataset.h"
#include "train/Metrics.h"
#include "train/TrainOptions.h"
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace emoscope {

class Classifier;

struct BatchProgress {
    int epoch = 0, epochs = 0;  // 1-based epoch
    int batch = 0, batches = 0; // 1-based batch within the epoch
    double loss = 0, accuracy = 0; // running means over this epoch so far
    double etaSeconds = 0;
};

struct EpochReport {
    int epoch = 0;
    double trainLoss = 0, trainAccuracy = 0;
    double validationLoss = 0, validationAccuracy = 0, validationUar = 0;
    double seconds = 0;
    bool best = false; // best validation so far (this epoch's weights are kept)
};

struct TrainCallbacks {
    std::function<void(const std::string& stage, int done, int total)> onPrepare; // feature extraction
    std::function<void(const BatchProgress&)> onBatch;
    std::function<void(const EpochReport&)> onEpoch;
    std::function<void(const std::string&)> onLog; // skipped files, notes
    // Sees each training batch's inputs (after augmentation, before the forward pass; 1-based epoch and batch) and
    // may change them: how tests reach the non-finite-loss guard, which the checks on audio, features and options
    // otherwise keep out of reach. Leave it empty in normal use.
    std::function<void(int epoch, int batch, std::vector<MelMatrix>& inputs)> onBatchInputs;
};

struct TrainResult {
    bool cancelled = false;
    int bestEpoch = 0;
    std::vector<EpochReport> history;
    EvaluationReport test; // on the split's test part with the best weights (empty when there is none or cancelled)
    // Added: clip counts actually used (after unreadable files were dropped) and wall time.
    int trainClips = 0, validationClips = 0, testClips = 0;
    std::vector<int> validationIndices; // the dataset clips that chose the best epoch and fitted the calibration
    // Their logits with the kept weights, before calibration (one row per validation index; empty when cancelled).
    std::vector<std::vector<float>> validationLogits;
    double seconds = 0;
    int resumedFromEpoch = 0; // completed epochs found in the checkpoint (0 = fresh start)
};

// Trains a model on dataset[split.train], keeping the best epoch by validation UAR.
// Runs on the calling thread (call it from a worker); callbacks are invoked on that thread.
// Cancellation: set *cancel to true; run() returns within one batch with cancelled = true and the best
// weights so far (and the last checkpoint on disk). Deterministic for a given seed and thread count.
class Trainer {
public:
    Trainer(Dataset dataset, Split split, TrainOptions options);
    ~Trainer();

    TrainResult run(const TrainCallbacks& callbacks = {}, const std::atomic<bool>* cancel = nullptr);

    // The trained (best) model; valid after run(). Saving is atomic; provenance and metrics go in the card.
    ModelCard card() const;
    void saveModel(const std::string& path) const;
    std::shared_ptr<const Classifier> classifier() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Scores a model on dataset[indices] (all clips when indices is empty). Files that fail are listed in errors.
// workers: files classified at once (0 = Classifier::classifyFiles' default); the report does not depend on it.
EvaluationReport evaluateModel(const Classifier& model, const Dataset& dataset, const std::vector<int>& indices = {},
                               const std::function<void(int done, int total)>& progress = {},
                               const std::atomic<bool>* cancel = nullptr, int workers = 0);

} // namespace emoscope
