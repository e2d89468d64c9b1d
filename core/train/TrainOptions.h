// SPDX-License-Identifier: GPL-3.0-or-later
// What a training run is asked to do, its one set of limits (TrainOptions::validate) and the one "from scratch"
// rule. Both front ends fill a TrainOptions and call validate() before any work starts; Trainer::run calls it too.
#pragma once
#include "model/ModelCard.h"
#include <optional>
#include <stdexcept>
#include <string>

namespace emoscope {

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

// The limits validate() applies; the GUI's spin boxes take their ranges from here too.
struct TrainLimits {
    static constexpr int minEpochs = 1, maxEpochs = 10000;
    static constexpr int minBatchSize = 1, maxBatchSize = 4096;
    static constexpr double minLearningRate = 1e-6, maxLearningRate = 1.0; // AdamW peak of the one-cycle schedule
    static constexpr double maxWeightDecay = 1.0;
    static constexpr int maxStages = 8, maxWidth = 1024, maxBlocksPerStage = 8;
    static constexpr int maxCropFrames = 10000;
    static constexpr double maxWarp = 0.5;
    static constexpr double maxMixupAlpha = 10.0;
    static constexpr double maxAdversaryWeight = 10.0;
};

// Which option validate() refused, so each front end can name it in its own words (the CLI: "--lr").
enum class TrainOption {
    Epochs, BatchSize, LearningRate, WeightDecay, LabelSmoothing, ValidationFraction, ValidationSpeakers,
    WarpRange, Threads, Widths, Blocks, Dropout, Crop, FromModel, Checkpoint, Features, WaveAugment, WeightAverage, Mixup,
    Calibration, Adversary,
};

// std::invalid_argument, so callers that only know that type still report it as bad input.
// what() is "<option in words> <reason>", e.g. "learning rate must be in [1e-06, 1], got nan".
class TrainOptionsError : public std::invalid_argument {
public:
    TrainOptionsError(TrainOption option, const std::string& words, const std::string& reason);
    TrainOption option() const { return option_; }
    const std::string& reason() const { return reason_; } // without the option's words: "must be in ..."

private:
    TrainOption option_;
    std::string reason_;
};

// Recipes are named sets of options: the CLI's --recipe and the report use the same names.
// "robust": speech front end at 16 kHz up to 8 kHz (no corpus has a bandwidth cue), waveform augmentation,
// per-band mean removal, frequency warp, validation on held-out speakers, corpus and label balancing, calibration.
struct TrainOptions;
void applyRecipe(const std::string& name, TrainOptions& options); // throws std::invalid_argument for unknown names

// The CLI's word for "start from scratch" (--from scratch); parseStartFrom maps it to no model.
inline constexpr const char* kFromScratchWord = "scratch";

struct TrainOptions {
    int epochs = 20;
    int batchSize = 32;
    double maxLearningRate = 3e-3; // one-cycle peak
    double weightDecay = 1e-2;     // AdamW
    Augmentations augment;
    bool balancedSampling = false;
    double validationFraction = 0.1; // carved from the training part, stratified; never the test part
    unsigned long long seed = 1;
    // The one "from scratch" rule: no model = a new network (arch and features below); a path = fine-tune that
    // model file (which keeps its own arch and features). An empty path is an error, never "scratch".
    std::optional<std::string> fromModel;
    ModelArch arch;                  // for scratch
    FeatureConfig features;          // for scratch (a fine-tune keeps the model's own)
    std::string checkpointPath;      // "" = no checkpoints; else written atomically each epoch
    bool resume = false;             // continue from checkpointPath when it exists (needs checkpointPath)
    std::string featureCacheDir;     // "" = in memory only
    int threads = 0;                 // 0 = all cores; at most maxUserThreads()
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
    // With calibrate: also a bias per label (CalibrationFit::classBias), fitted on the same validation clips.
    bool calibrateClassBias = false;
    // With calibrate: the temperature that minimises the largest per-corpus ECE on the validation speakers
    // (worstGroupEceTemperature) instead of the NLL's: "honest on every corpus", not on average. Not with
    // calibrateClassBias (the bias is fitted on the NLL).
    bool calibrateWorstCorpus = false;
    // > 0: validation, the kept model and calibration use an exponential moving average of the weights (and
    // BatchNorm statistics) with this decay per batch, e.g. 0.998 = a memory of about 500 batches; 0 = raw weights.
    // The average is smoother than the last batch's weights, so the epoch chosen on validation speakers is less a
    // lucky draw of a noisy curve.
    double weightAverageDecay = 0;
    // > 0: mixup (Zhang et al. 2018) with this Beta(alpha, alpha): each batch is blended with a shuffled copy of
    // itself and the loss with both labels in the same proportion. 0 = off.
    double mixupAlpha = 0;
    // > 0: a speaker adversary (training only, never in the model file). A small head learns to tell the training
    // speakers apart from the pooled features, through a gradient reversal with this weight (ramped up from 0
    // over the run, Ganin & Lempitsky 2015), so the features are trained to hold less of who is speaking: corpus
    // cues (language, room, microphone) go with the speaker. 0 = off. A resumed run starts a new adversary head.
    double speakerAdversaryWeight = 0;
    std::string recipe;              // name given to applyRecipe ("" = none), recorded in the card

    bool fromScratch() const { return !fromModel.has_value(); }
    // How the card records the start: "scratch" or the model path.
    std::string startDescription() const { return fromModel ? *fromModel : std::string(kFromScratchWord); }
    // Every limit of TrainLimits, finite numbers, and the options that need each other (resume needs a checkpoint
    // path; a fine-tune needs a model path). Throws TrainOptionsError for the first problem. Touches no file.
    void validate() const;
};

// The CLI's --from: "scratch" = from scratch, anything else = that model file ("" is refused by validate()).
std::optional<std::string> parseStartFrom(const std::string& text);

} // namespace emoscope
