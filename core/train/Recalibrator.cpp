// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/Recalibrator.h"
#include "infer/Classifier.h"
#include "model/Softmax.h"
#include "net/ClassifierFactory.h"
#include "net/ModelIO.h"
#include "train/RunSupport.h"
#include <nlohmann/json.hpp>
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <set>
#include <stdexcept>

namespace emoscope {

using nlohmann::json;

namespace {

// Mean top probability of each clip, and the share whose top label is the truth.
std::pair<double, double> confidenceAndAccuracy(const std::vector<std::vector<float>>& probabilities,
                                                const std::vector<int>& truth)
{
    double confidence = 0, right = 0;
    for (std::size_t i = 0; i < probabilities.size(); ++i) {
        const auto top = std::max_element(probabilities[i].begin(), probabilities[i].end());
        confidence += *top;
        right += (top - probabilities[i].begin()) == truth[i];
    }
    const double n = std::max<double>(1, double(probabilities.size()));
    return {confidence / n, right / n};
}

} // namespace

RecalibrateResult recalibrateModel(const std::string& modelPath, const Dataset& dataset, const std::vector<int>& indices,
                                   const RecalibrateOptions& options,
                                   const std::function<void(int, int)>& progress, const std::atomic<bool>* cancel)
{
    if (indices.empty()) throw std::invalid_argument("recalibrate: no clips to calibrate on");
    const LoadedModel loaded = loadModelFile(modelPath); // ModelError names the file
    RecalibrateResult result;
    result.before = loaded.card.calibration;
    result.card = loaded.card;

    std::map<std::string, int> labelIndex;
    for (std::size_t l = 0; l < loaded.card.labels.size(); ++l) labelIndex[loaded.card.labels[l]] = int(l);
    std::vector<std::string> files;
    std::vector<int> truth;
    std::vector<const Clip*> clips;
    for (int i : indices) {
        const Clip& c = dataset.clips.at(std::size_t(i));
        const auto it = labelIndex.find(c.label);
        if (it == labelIndex.end())
            throw std::invalid_argument(c.path + ": label '" + c.label + "' is not one of the model's labels");
        files.push_back(c.path);
        truth.push_back(it->second);
        clips.push_back(&c);
    }

    // The product's inference path with an identity calibration: its probabilities are softmax(logits).
    ModelCard identity = loaded.card;
    identity.calibration.temperature = 1.0;
    identity.calibration.classBias.clear();
    const auto model = ClassifierFactory::make(modelPath, identity, loaded.net);
    const auto classified = model->classifyFiles(files, {}, progress, cancel, options.workers);
    if (cancel && cancel->load()) {
        result.cancelled = true;
        return result;
    }

    std::vector<std::vector<float>> logits;
    std::vector<int> kept;
    std::vector<std::string> corpus;
    std::set<std::string> speakers;
    for (std::size_t k = 0; k < classified.size(); ++k) {
        if (!classified[k].error.empty()) {
            result.errors.push_back(classified[k].error);
            continue;
        }
        std::vector<float> z;
        // FLT_MIN: a probability that underflowed stays a large finite gap, not -inf.
        for (float p : classified[k].probabilities) z.push_back(std::log(std::max(p, FLT_MIN)));
        logits.push_back(std::move(z));
        kept.push_back(truth[k]);
        corpus.push_back(clips[k]->source);
        if (!clips[k]->speaker.empty()) speakers.insert(clips[k]->speaker);
    }
    std::set<int> labelsPresent(kept.begin(), kept.end());
    if (labelsPresent.size() < 2)
        throw std::invalid_argument("recalibrate: the clips that could be classified hold fewer than 2 labels");
    result.speakers.assign(speakers.begin(), speakers.end());

    result.fit = fitCalibration(logits, kept, options.targetAccuracy, equalGroupWeights(corpus), false,
                                options.worstCorpus ? corpus : std::vector<std::string>{});

    // Per corpus, before and after.
    std::map<std::string, std::vector<std::size_t>> byCorpus;
    for (std::size_t i = 0; i < corpus.size(); ++i) byCorpus[corpusNameOf(corpus[i])].push_back(i);
    for (const auto& [name, rows] : byCorpus) {
        std::vector<std::vector<float>> before, after;
        std::vector<int> t;
        for (std::size_t i : rows) {
            before.push_back(calibratedSoftmax(logits[i], result.before.temperature, result.before.classBias));
            after.push_back(calibratedSoftmax(logits[i], result.fit.temperature, {}));
            t.push_back(kept[i]);
        }
        CorpusCalibration c;
        c.clips = int(rows.size());
        c.eceBefore = expectedCalibrationError(before, t);
        c.eceAfter = expectedCalibrationError(after, t);
        c.meanConfidenceBefore = confidenceAndAccuracy(before, t).first;
        std::tie(c.meanConfidenceAfter, c.accuracy) = confidenceAndAccuracy(after, t);
        result.corpora[name] = c;
    }

    result.card.calibration.temperature = result.fit.temperature;
    result.card.calibration.classBias.clear();
    result.card.calibration.uncertainThreshold = result.fit.uncertainThreshold;
    json metrics = json::parse(loaded.card.metricsJson.empty() ? "{}" : loaded.card.metricsJson, nullptr, false);
    if (!metrics.is_object()) metrics = json::object();
    metrics["calibration"] = json::parse(result.fit.toJson());
    result.card.metricsJson = metrics.dump();
    json prov = json::parse(loaded.card.provenanceJson.empty() ? "{}" : loaded.card.provenanceJson, nullptr, false);
    if (!prov.is_object()) prov = json::object();
    json corpora = json::object();
    for (const auto& [name, c] : result.corpora)
        corpora[name] = {{"clips", c.clips}, {"ece_before", c.eceBefore}, {"ece_after", c.eceAfter}};
    prov["calibration_objective"] = options.worstCorpus ? "smallest worst-corpus ECE" : "NLL";
    prov["calibration_class_bias"] = false;
    prov["recalibrated"] = {{"date", nowUtc()},
                            {"command", options.command},
                            {"speakers", result.speakers},
                            {"clips", int(logits.size())},
                            {"before", {{"temperature", result.before.temperature},
                                        {"class_bias", result.before.classBias},
                                        {"uncertain_threshold", result.before.uncertainThreshold}}},
                            {"corpora", corpora}};
    result.card.provenanceJson = prov.dump();
    if (!options.out.empty()) saveModelFile(options.out, result.card, loaded.net);
    return result;
}

} // namespace emoscope
