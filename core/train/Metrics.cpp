// SPDX-License-Identifier: GPL-3.0-or-later
// Classification metrics: confusion matrix, per-class precision/recall/F1, accuracy, UAR, macro F1.
#include "train/Metrics.h"
#include "util/Argmax.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace emoscope {

namespace {

// Predicted index of a result: its own when set, else the argmax of its probabilities (-1 if none).
int predictedOf(const ClipResult& r)
{
    if (r.predictedIndex >= 0)
        return r.predictedIndex;
    return argmax(r.probabilities);
}

} // namespace

int EvaluationReport::total() const
{
    return int(results.size());
}

std::vector<ClipResult> EvaluationReport::misclassified() const
{
    std::vector<ClipResult> out;
    for (const auto& r : results)
        if (r.predictedIndex != r.trueIndex)
            out.push_back(r);
    return out;
}

std::vector<ClipResult> EvaluationReport::cell(int trueIndex, int predictedIndex) const
{
    std::vector<ClipResult> out;
    for (const auto& r : results)
        if (r.trueIndex == trueIndex && r.predictedIndex == predictedIndex)
            out.push_back(r);
    return out;
}

std::string EvaluationReport::toJson(int indent) const
{
    using nlohmann::json;
    const auto perLabel = [&](const std::vector<double>& values) {
        json o = json::object();
        for (std::size_t i = 0; i < labels.size() && i < values.size(); ++i)
            o[labels[i]] = values[i];
        return o;
    };
    const auto labelName = [&](int i) {
        return i >= 0 && i < int(labels.size()) ? labels[std::size_t(i)] : std::string();
    };
    json wrong = json::array();
    for (const auto& r : misclassified()) {
        json probs = json::object();
        for (std::size_t i = 0; i < labels.size() && i < r.probabilities.size(); ++i)
            probs[labels[i]] = r.probabilities[i];
        const bool hasConfidence = r.predictedIndex >= 0 && std::size_t(r.predictedIndex) < r.probabilities.size();
        wrong.push_back({{"file", r.file},
                         {"label", labelName(r.trueIndex)},
                         {"predicted", labelName(r.predictedIndex)},
                         {"confidence", hasConfidence ? double(r.probabilities[std::size_t(r.predictedIndex)]) : 0.0},
                         {"probabilities", probs}});
    }
    const json j = {{"accuracy", accuracy},
                    {"uar", uar},
                    {"macro_f1", macroF1},
                    {"labels", labels},
                    {"recall", perLabel(recall)},
                    {"precision", perLabel(precision)},
                    {"f1", perLabel(f1)},
                    {"confusion", confusion},
                    {"misclassified", wrong},
                    {"total", total()},
                    {"errors", errors}};
    return j.dump(indent);
}

EvaluationReport computeMetrics(const std::vector<std::string>& labels, std::vector<ClipResult> results)
{
    EvaluationReport report;
    report.labels = labels;
    const std::size_t k = labels.size();
    report.confusion.assign(k, std::vector<int>(k, 0));
    report.precision.assign(k, 0.0);
    report.recall.assign(k, 0.0);
    report.f1.assign(k, 0.0);

    int correct = 0;
    for (auto& r : results) {
        r.predictedIndex = predictedOf(r);
        // A result that cannot be placed in the matrix is reported, not silently dropped.
        if (r.trueIndex < 0 || std::size_t(r.trueIndex) >= k) {
            report.errors.push_back(r.file + ": true label index " + std::to_string(r.trueIndex) + " out of range");
            continue;
        }
        if (r.predictedIndex < 0 || std::size_t(r.predictedIndex) >= k) {
            report.errors.push_back(r.file + ": no valid prediction");
            continue;
        }
        ++report.confusion[std::size_t(r.trueIndex)][std::size_t(r.predictedIndex)];
        correct += r.trueIndex == r.predictedIndex;
        report.results.push_back(std::move(r));
    }

    double recallSum = 0, f1Sum = 0;
    int withSamples = 0;
    for (std::size_t c = 0; c < k; ++c) {
        int rowSum = 0, colSum = 0;
        for (std::size_t o = 0; o < k; ++o) {
            rowSum += report.confusion[c][o];
            colSum += report.confusion[o][c];
        }
        const double hit = report.confusion[c][c];
        report.recall[c] = rowSum > 0 ? hit / rowSum : 0.0;
        report.precision[c] = colSum > 0 ? hit / colSum : 0.0;
        const double pr = report.precision[c] + report.recall[c];
        report.f1[c] = pr > 0 ? 2.0 * report.precision[c] * report.recall[c] / pr : 0.0;
        // UAR and macro F1 both average over classes that have samples: a label absent from the test data
        // says nothing about the model (wrong predictions into it already lower the true class's recall).
        if (rowSum > 0) {
            ++withSamples;
            recallSum += report.recall[c];
            f1Sum += report.f1[c];
        }
    }
    report.accuracy = report.results.empty() ? 0.0 : double(correct) / double(report.results.size());
    report.uar = withSamples > 0 ? recallSum / withSamples : 0.0;
    report.macroF1 = withSamples > 0 ? f1Sum / withSamples : 0.0;
    return report;
}

} // namespace emoscope
