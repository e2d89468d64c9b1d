// SPDX-License-Identifier: GPL-3.0-or-later
#include "infer/Classifier.h"
#include "train/Trainer.h"
#include <map>

namespace emoscope {

EvaluationReport evaluateModel(const Classifier& model, const Dataset& dataset, const std::vector<int>& indices,
                               const std::function<void(int, int)>& progress, const std::atomic<bool>* cancel,
                               int workers)
{
    std::vector<int> idx = indices;
    if (idx.empty())
        for (int i = 0; i < int(dataset.clips.size()); ++i) idx.push_back(i);
    // Labels are matched by name, so a dataset in another label order (or with extra labels) still scores right.
    std::map<std::string, int> labelIndex;
    for (std::size_t i = 0; i < model.labels().size(); ++i) labelIndex[model.labels()[i]] = int(i);
    std::vector<std::string> files;
    std::vector<int> truth;
    std::vector<std::string> errors;
    for (int i : idx) {
        const Clip& c = dataset.clips.at(std::size_t(i));
        auto it = labelIndex.find(c.label);
        if (it == labelIndex.end()) {
            errors.push_back(c.path + ": label '" + c.label + "' is not one of the model's labels");
            continue;
        }
        files.push_back(c.path);
        truth.push_back(it->second);
    }
    const auto classified = model.classifyFiles(files, {}, progress, cancel, workers);
    std::vector<ClipResult> results;
    for (std::size_t k = 0; k < classified.size(); ++k) {
        if (!classified[k].error.empty()) {
            errors.push_back(classified[k].error);
            continue;
        }
        ClipResult r;
        r.file = classified[k].file;
        r.trueIndex = truth[k];
        r.probabilities = classified[k].probabilities;
        results.push_back(std::move(r));
    }
    EvaluationReport report = computeMetrics(model.labels(), std::move(results));
    report.errors.insert(report.errors.end(), errors.begin(), errors.end());
    return report;
}

} // namespace emoscope
