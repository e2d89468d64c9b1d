// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "model/ModelCard.h"
#include "train/Dataset.h"
#include "train/Metrics.h"
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace emoscope {

class Classifier;

struct Augmentations {
    bool specAugment = true;  // time and frequency masks
    bool timeShift = true;    // random crop/shift
    bool gain = true;         // random level change (in dB before normalisation)
    bool noise = false;       // additive noise at random SNR
    // Added: random stretch of the mel axis by up to +-12% (vocal-tract-length perturbation), which imitates another
    // speaker's pitch and formants; aimed at speaker-independent use.
    bool frequencyWarp = false;
    double frequencyWarpMax = 0.12; // largest relative stretch, e.g. 0.12 = factors in [0.88, 1.12]
};

// Augmentation of the waveform before the log-mel (training only): the conditions a user's recording meets.
// Each is applied to a training crop with its probability; all randomness comes from the batch's seeded generator.
struct WaveAugmentations {
    bool enabled = false;
    double noiseProbability = 0.6;   // white, pink or babble (other training clips) at a random SNR
    double snrMinDb = 0, snrMaxDb = 30;
    double reverbProbability = 0.3;  // a simulated room (RT60 0.2-1.0 s)
    double bandProbability = 0.35;   // telephone band, or a random band limit (low 50-400 Hz, high 2.5-8 kHz)
    double microphoneProbability = 0.5; // random microphone colouring (EQ)
};

// Recipes are named sets of options: the CLI's --recipe and the report use the same names.
// "robust": speech front end at 16 kHz up to 8 kHz (no corpus has a bandwidth cue), waveform augmentation,
// per-band mean removal, frequency warp, validation on held-out speakers, corpus and label balancing, calibration.
struct TrainOptions;
void applyRecipe(const std::string& name, TrainOptions& options); // throws std::invalid_argument for unknown names

struct TrainOptions {
    int epochs = 20;
    int batchSize = 32;
    double maxLearningRate = 3e-3; // one-cycle peak
    double weightDecay = 1e-2;     // AdamW
    Augmentations augment;
    bool balancedSampling = false;
    double validationFraction = 0.1; // carved from the training part, stratified; never the test part
    unsigned long long seed = 1;
    std::string fromModel;           // "" = from scratch (arch below); else fine-tune this model file
    ModelArch arch;                  // for scratch
    FeatureConfig features;          // for scratch (a fine-tune keeps the model's own)
    std::string checkpointPath;      // "" = no checkpoints; else written atomically each epoch
    bool resume = false;             // continue from checkpointPath when it exists
    std::string featureCacheDir;     // "" = in memory only
    int threads = 0;                 // 0 = all cores
    // Added: provenance written into the model card (free text).
    std::string command;             // e.g. the CLI command line
    std::string splitDescription;    // e.g. "fixed (split.csv)" or "speaker:YAF"
    double labelSmoothing = 0.1;     // cross-entropy label smoothing
    InputPolicy input;               // for scratch: min frames and training crop length
    bool perUtteranceBandMean = false; // for scratch: Normalisation::perUtteranceBandMean
    WaveAugmentations wave;          // waveform augmentation (needs the decoded audio of the training clips in memory)
    // > 0: validation = this fraction of the speakers of each corpus (dataset root) that has >= 3 training
    // speakers, never clips of training speakers; 0: a stratified fraction of clips (validationFraction).
    double validationSpeakerFraction = 0;
    // Sampling weight so that every corpus (dataset root) and, within it, every label gets the same share.
    bool balanceCorpora = false;
    // After training: fit a temperature and the "uncertain" threshold on the validation part (written to the card).
    bool calibrate = false;
    std::string recipe;              // name given to applyRecipe ("" = none), recorded in the card
};

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
};

struct TrainResult {
    bool cancelled = false;
    int bestEpoch = 0;
    std::vector<EpochReport> history;
    EvaluationReport test; // on the split's test part with the best weights (empty when there is none or cancelled)
    // Added: clip counts actually used (after unreadable files were dropped) and wall time.
    int trainClips = 0, validationClips = 0, testClips = 0;
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
EvaluationReport evaluateModel(const Classifier& model, const Dataset& dataset, const std::vector<int>& indices = {},
                               const std::function<void(int done, int total)>& progress = {},
                               const std::atomic<bool>* cancel = nullptr);

} // namespace emoscope
