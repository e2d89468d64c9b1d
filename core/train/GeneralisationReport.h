// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "train/Dataset.h"
#include "train/Metrics.h"
#include "train/Trainer.h"
#include <atomic>
#include <map>
#include <string>
#include <vector>

namespace emoscope {

class Classifier;

// Leave-speakers-out evaluation of a training recipe: the speakers of every corpus (dataset root) are dealt into
// `folds` groups with a fixed seed; fold k trains on every other speaker (validation and calibration on held-out
// training speakers, as the recipe says) and is scored on group k, clean and under degraded audio made on the fly
// (audio/Degradation.h's standard conditions, fixed seeds). A corpus with 2 speakers (TESS) is tested one speaker per
// fold. These are the figures that predict how the recipe does on a stranger's voice.
struct ReportOptions {
    int folds = 3;
    TrainOptions train;              // the recipe (threads, feature cache and seed included)
    bool degrade = true;
    int degradedClipsPerCorpus = 200; // per fold: a seeded sample of the held-out clips of each corpus
    unsigned long long seed = 7;      // fold assignment, samples and degradations
    // Keep every clean clip's calibrated probabilities (GeneralisationReport::clips): the held-out clips and, for a
    // recipe's report, each fold's validation clips too, so that calibration methods can be compared afterwards
    // on exactly the clips the report scored (bench_calibration) without training again. Held-out clips are
    // scored through the product's path (Classifier::judge); validation clips are the logits the trainer fitted the
    // calibration on (TrainResult::validationLogits), so a method refitted on them sees what the trainer saw.
    bool keepClips = false;
    std::string command;              // recorded in the report
};

struct CorpusFigures {
    std::string corpus; // dataset root's folder name
    int speakers = 0;
    EvaluationReport clean;                        // all held-out clips of the corpus, over all folds (calibrated)
    double ece = 0;                                // expected calibration error of the clean results
    // The verdicts of the clean clips (Classifier::judge: voice activity and the model's calibrated threshold), as
    // a user sees them: how often the model claims an emotion, and how often that claim is right.
    int okClips = 0, okCorrect = 0, uncertainClips = 0, noSpeechClips = 0;
    std::map<std::string, EvaluationReport> degraded; // condition name -> the degraded sample ("clean" included)
};

// One clean clip as a fold's model scored it. Its probabilities are calibrated with that model's temperature and
// class bias (kept here), so its logits are T * (log p - bias) up to a constant.
struct ScoredClip {
    int fold = 0;            // 1-based; 0 in a model's report
    bool validation = false; // a validation clip of the fold (a speaker held out of training, not of the test)
    std::string corpus, speaker, file;
    int truth = -1; // label index
    std::vector<float> probabilities;
    double temperature = 1;        // the scoring model's calibration
    std::vector<double> classBias; // (empty when it has no class bias)
};

struct FoldSummary {
    int fold = 0;
    std::vector<std::string> testSpeakers;
    int trainClips = 0, validationClips = 0, testClips = 0, bestEpoch = 0;
    double validationUar = 0, temperature = 1, uncertainThreshold = 0, seconds = 0;
    std::vector<double> classBias; // the calibration's bias per label (empty when the recipe fits none)
};

struct GeneralisationReport {
    std::vector<std::string> labels;
    std::vector<std::string> conditions;
    std::vector<CorpusFigures> corpora;
    std::vector<FoldSummary> folds;        // a recipe's report: one per fold
    std::vector<ScoredClip> clips;         // with ReportOptions::keepClips, in fold then file order
    std::string modelPath;                 // a model's report (scoreModelOnSpeakers): the file scored ...
    std::vector<std::string> modelSpeakers; // ... and the speakers it never trained on
    std::string recipeJson; // the training options used (a model's report: its card's provenance)
    std::string command;
    double seconds = 0;
    bool cancelled = false;

    double meanUar() const; // mean over corpora of the clean UAR
    std::string toJson() const;
    std::string toMarkdown() const;
    // The clips, one JSON object per line, with the fold's calibration in each line (empty without keepClips).
    std::string clipsJsonLines() const;
};

// Runs every fold in turn on the calling thread (call it from a worker); callbacks as for Trainer::run, plus
// onLog lines naming each fold. Cancellation returns what is finished with cancelled = true.
GeneralisationReport runGeneralisationReport(const Dataset& dataset, const ReportOptions& options,
                                             const TrainCallbacks& callbacks = {},
                                             const std::atomic<bool>* cancel = nullptr);

// The same figures for one model file, with no training: it is scored on `speakers` (names as in
// `--split speaker:`), which must be speakers it never trained on (e.g. the validation speakers of its run), clean
// and degraded, with its own calibration; babble comes from the other speakers' clips. options.train supplies only
// the thread count. Throws std::invalid_argument for an unknown speaker.
GeneralisationReport scoreModelOnSpeakers(const Dataset& dataset, const Classifier& model,
                                          const std::vector<std::string>& speakers, const ReportOptions& options,
                                          const TrainCallbacks& callbacks = {},
                                          const std::atomic<bool>* cancel = nullptr);

} // namespace emoscope
