// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "model/ModelCard.h"
#include "train/Calibration.h"
#include "train/Dataset.h"
#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace emoscope {

// Refits a trained model's calibration (temperature and "uncertain" threshold) on labelled clips of speakers it was
// not trained on, without retraining: weights, front end, labels and the no-speech rule are kept. This is how a
// calibration rule chosen after a model was trained reaches that model (TrainOptions::calibrateWorstCorpus does the
// same inside a training run, on the run's validation speakers).
//
// The clips are classified through the product's own inference path (Classifier::classifyFiles, the card's features
// and input policy) with an identity calibration; the logits are recovered as log-probabilities (softmax is
// shift-invariant, so softmax(log p / T) = softmax(logits / T)). Every corpus (dataset root) weighs the same in the
// threshold, as in training.
struct RecalibrateOptions {
    bool worstCorpus = true;     // worstGroupEceTemperature over the clips' corpora; false = the NLL's temperature
    double targetAccuracy = 0.7; // for the "uncertain" threshold (fitCalibration)
    int workers = 0;             // files classified at once (0 = Classifier::classifyFiles' default)
    std::string command;         // provenance, e.g. the CLI command line
    std::string out;             // "" = fit only; else the refitted model is written here (atomically) when not cancelled
};

// One corpus's ECE (15 bins) on the calibration clips with the old and the new calibration.
struct CorpusCalibration {
    int clips = 0;
    double accuracy = 0;
    double eceBefore = 0, eceAfter = 0;
    double meanConfidenceBefore = 0, meanConfidenceAfter = 0;
};

struct RecalibrateResult {
    bool cancelled = false;
    CalibrationFit fit;                              // the new temperature and threshold, with the pooled figures
    Calibration before;                              // the model's calibration before
    std::map<std::string, CorpusCalibration> corpora; // by corpus name (the dataset root's folder name)
    std::vector<std::string> speakers;               // the speakers whose clips were used, sorted
    std::vector<std::string> errors;                 // files that could not be classified (skipped)
    ModelCard card;                                  // the model's card with the new calibration and provenance
};

// Classifies dataset[indices] with the model at modelPath, fits the calibration and, with options.out, writes the
// model with the new card there (from the one load of modelPath: weights are never read twice). Runs on the calling
// thread. Errors: ModelError for the model file or the output; std::invalid_argument when no index is given, a clip's
// label is not one of the model's, or fewer than 2 labels are present among the clips that could be classified.
// Cancellation: set *cancel; returns with cancelled = true, the card unchanged and nothing written.
RecalibrateResult recalibrateModel(const std::string& modelPath, const Dataset& dataset, const std::vector<int>& indices,
                                   const RecalibrateOptions& options = {},
                                   const std::function<void(int done, int total)>& progress = {},
                                   const std::atomic<bool>* cancel = nullptr);

} // namespace emoscope
