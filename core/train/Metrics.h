// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>
#include <vector>

namespace emoscope {

struct ClipResult {
    std::string file;
    int trueIndex = -1;
    int predictedIndex = -1;
    std::vector<float> probabilities;
};

// Classification metrics over a set of clip results. Rows of the confusion matrix are true labels.
struct EvaluationReport {
    std::vector<std::string> labels;
    std::vector<std::vector<int>> confusion;
    std::vector<double> precision, recall, f1; // per label; 0 where undefined (no predictions/no samples)
    double accuracy = 0, uar = 0, macroF1 = 0; // UAR = mean recall, macro F1 = mean F1, both over labels that
                                               // have samples (a label with none says nothing about the model)
    std::vector<ClipResult> results;           // every scored clip, in input order (predictedIndex filled in)
    std::vector<std::string> errors;           // files that could not be scored, "<path>: <reason>"

    int total() const;
    std::vector<ClipResult> misclassified() const;
    std::vector<ClipResult> cell(int trueIndex, int predictedIndex) const; // clips of one confusion cell
    // {"accuracy","uar","macro_f1","labels","recall":{},"precision":{},"f1":{},"confusion":[[...]],
    //  "misclassified":[{"file","label","predicted","confidence","probabilities":{}}], "total", "errors"}
    // confidence = probability of the predicted label (0 when there are no probabilities).
    std::string toJson(int indent = -1) const;
};

// Builds the report from results (ClipResult::predictedIndex may be -1: then argmax of probabilities).
// Results whose true or predicted index is not a valid label go to errors ("<file>: <reason>"), not results.
EvaluationReport computeMetrics(const std::vector<std::string>& labels, std::vector<ClipResult> results);

} // namespace emoscope
