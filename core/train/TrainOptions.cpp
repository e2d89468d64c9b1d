// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/TrainOptions.h"
#include "util/ThreadLimit.h"

#include <cmath>
#include <sstream>

namespace emoscope {

TrainOptionsError::TrainOptionsError(TrainOption option, const std::string& words, const std::string& reason)
    : std::invalid_argument(words + " " + reason), option_(option), reason_(reason)
{
}

namespace {

std::string num(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

// Closed range [lo, hi]; NaN and infinities fail.
void inRange(double v, double lo, double hi, TrainOption o, const char* words)
{
    if (!(std::isfinite(v) && v >= lo && v <= hi))
        throw TrainOptionsError(o, words, "must be in [" + num(lo) + ", " + num(hi) + "], got " + num(v));
}

// Half-open range [lo, hi).
void inRangeOpen(double v, double lo, double hi, TrainOption o, const char* words)
{
    if (!(std::isfinite(v) && v >= lo && v < hi))
        throw TrainOptionsError(o, words, "must be in [" + num(lo) + ", " + num(hi) + "), got " + num(v));
}

} // namespace

void TrainOptions::validate() const
{
    using L = TrainLimits;
    inRange(epochs, L::minEpochs, L::maxEpochs, TrainOption::Epochs, "epochs");
    inRange(batchSize, L::minBatchSize, L::maxBatchSize, TrainOption::BatchSize, "batch size");
    inRange(maxLearningRate, L::minLearningRate, L::maxLearningRate, TrainOption::LearningRate, "learning rate");
    inRange(weightDecay, 0, L::maxWeightDecay, TrainOption::WeightDecay, "weight decay");
    inRangeOpen(labelSmoothing, 0, 1, TrainOption::LabelSmoothing, "label smoothing");
    inRangeOpen(validationFraction, 0, 1, TrainOption::ValidationFraction, "validation fraction");
    inRangeOpen(validationSpeakerFraction, 0, 1, TrainOption::ValidationSpeakers, "validation speaker fraction");
    if (augment.frequencyWarp && !(std::isfinite(augment.frequencyWarpMax) && augment.frequencyWarpMax > 0 &&
                                   augment.frequencyWarpMax < L::maxWarp))
        throw TrainOptionsError(TrainOption::WarpRange, "frequency warp range",
                                "must be in (0, " + num(L::maxWarp) + "), got " + num(augment.frequencyWarpMax));
    inRangeOpen(weightAverageDecay, 0, 1, TrainOption::WeightAverage, "weight average decay");
    inRange(mixupAlpha, 0, L::maxMixupAlpha, TrainOption::Mixup, "mixup alpha");
    inRange(speakerAdversaryWeight, 0, L::maxAdversaryWeight, TrainOption::Adversary, "speaker adversary weight");
    if (speakerAdversaryWeight > 0 && mixupAlpha > 0)
        throw TrainOptionsError(TrainOption::Adversary, "speaker adversary", "cannot be combined with mixup");
    inRange(threads, 0, maxUserThreads(), TrainOption::Threads, "threads");
    for (double p : {wave.noiseProbability, wave.reverbProbability, wave.bandProbability, wave.microphoneProbability})
        inRange(p, 0, 1, TrainOption::WaveAugment, "waveform augmentation probability");
    if (!(std::isfinite(wave.snrMinDb) && std::isfinite(wave.snrMaxDb) && wave.snrMinDb <= wave.snrMaxDb))
        throw TrainOptionsError(TrainOption::WaveAugment, "waveform augmentation SNR range",
                                "must be finite with min <= max");
    if (calibrateWorstCorpus && !calibrate)
        throw TrainOptionsError(TrainOption::Calibration, "worst-corpus calibration", "needs calibration on");
    if (calibrateWorstCorpus && calibrateClassBias)
        throw TrainOptionsError(TrainOption::Calibration, "worst-corpus calibration",
                                "cannot be combined with a per-label bias");
    if (resume && checkpointPath.empty())
        throw TrainOptionsError(TrainOption::Checkpoint, "resume", "needs a checkpoint path");
    if (fromModel) {
        if (fromModel->empty())
            throw TrainOptionsError(TrainOption::FromModel, "the model to start from",
                                    "is not set (choose a model file, or start from scratch)");
        return; // a fine-tune keeps the model's own architecture, features and input policy
    }
    if (arch.widths.empty() || int(arch.widths.size()) > L::maxStages)
        throw TrainOptionsError(TrainOption::Widths, "widths",
                                "must list 1 to " + std::to_string(L::maxStages) + " stages, got " +
                                    std::to_string(arch.widths.size()));
    for (int w : arch.widths)
        inRange(w, 1, L::maxWidth, TrainOption::Widths, "each width");
    inRange(arch.blocksPerStage, 1, L::maxBlocksPerStage, TrainOption::Blocks, "blocks per stage");
    inRangeOpen(arch.dropout, 0, 1, TrainOption::Dropout, "dropout");
    inRange(input.trainCropFrames, input.minFrames, L::maxCropFrames, TrainOption::Crop, "training crop (frames)");
    try {
        features.validate();
    } catch (const std::invalid_argument& e) {
        throw TrainOptionsError(TrainOption::Features, "features:", e.what());
    }
}

std::optional<std::string> parseStartFrom(const std::string& text)
{
    if (text == kFromScratchWord)
        return std::nullopt;
    return text;
}

} // namespace emoscope
