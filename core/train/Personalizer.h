// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "model/ModelCard.h"
#include "train/Dataset.h"
#include "train/Metrics.h"
#include "train/Trainer.h"
#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace emoscope {

class Classifier;

// Adapts a trained model to one speaker from a few labelled takes (e.g. four per emotion, read aloud in the app).
//
// Recipe: the lower part of the network stays as it is; the classifier head and the last residual block(s) are
// fine-tuned on many augmented copies of every take (the robust recipe's waveform and mel augmentation, so the model
// learns the voice rather than the room of that one afternoon), each weight pulled towards its base value, so a
// label with few or no takes keeps the base model's judgement. The frozen part runs once per crop, so this costs
// seconds to a minute on 2 cores, and the personal model keeps the base model's front end, normalisation and
// calibration (temperature, "uncertain" threshold, no-speech rule): the verdict contract is unchanged.
struct PersonalizeOptions {
    std::string baseModel;        // the model file to adapt (required)
    std::string speaker;          // whose takes, recorded in the card ("" = the takes' speaker names)
    int copiesPerTake = 24;       // augmented crops per training take
    int adaptBlocks = 1;          // residual blocks adapted besides the head (0 = the head only)
    int steps = 300;              // Adam steps of 64 crops
    double learningRate = 0.001;  // chosen on validation speakers of nEMO and ASED (bench_personalize --protocol half)
    double anchor = 0.01;         // weight of the squared distance to the base weights
    unsigned long long seed = 1;
    int threads = 0;              // 0 = all cores
    std::string command;          // provenance, e.g. the CLI command line
};

struct PersonalizeResult {
    bool cancelled = false;
    int trainTakes = 0, heldBackTakes = 0;
    std::vector<std::string> labelsTaught; // labels with at least one training take, in model order
    EvaluationReport before, after;        // base and personal model on the held-back takes (empty when none)
    double seconds = 0;
};

// The held-back takes the flow shows before/after on: the last `perLabel` takes (in path order) of every label that
// has more than `perLabel` takes; all others adapt. Deterministic, so a user who adds takes sees the same rule.
Split personalHoldBack(const Dataset& takes, int perLabel = 1);

// Thread-safety: one run at a time per object; run() works on the calling thread (call it from a worker) and calls
// the callbacks there. Errors: std::invalid_argument for unusable takes or options, ModelError for the base model.
class Personalizer {
public:
    // split.train adapts, split.test is scored before and after.
    Personalizer(Dataset takes, Split split, PersonalizeOptions options);
    ~Personalizer();

    // onPrepare("takes" | "copies" | "adapt", done, total) reports progress; onLog notes (skipped takes).
    // Cancellation: set *cancel; run() returns within one step with cancelled = true and no personal model.
    PersonalizeResult run(const TrainCallbacks& callbacks = {}, const std::atomic<bool>* cancel = nullptr);

    // Valid after a run that was not cancelled. The card's provenance says whose takes, how many, and the base model.
    ModelCard card() const;
    void saveModel(const std::string& path) const; // atomic
    std::shared_ptr<const Classifier> classifier() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace emoscope
