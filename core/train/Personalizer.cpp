// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/Personalizer.h"
#include "infer/Classifier.h"
#include "net/ClassifierFactory.h"
#include "model/InputPrep.h"
#include "model/ModelError.h"
#include "net/ModelIO.h"
#include "train/Augmenter.h"
#include "train/FeatureCache.h"
#include "train/RunSupport.h"
#include "train/WaveAugmenter.h"
#include "util/ParallelFor.h"
#include <nlohmann/json.hpp>
#include <algorithm>
#include <chrono>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

namespace emoscope {

using nlohmann::json;

Split personalHoldBack(const Dataset& takes, int perLabel)
{
    std::map<std::string, std::vector<int>> byLabel;
    for (int i = 0; i < int(takes.clips.size()); ++i) byLabel[takes.clips[std::size_t(i)].label].push_back(i);
    Split split;
    for (auto& [label, idx] : byLabel) {
        std::sort(idx.begin(), idx.end(), [&](int a, int b) { return takes.clips[std::size_t(a)].path < takes.clips[std::size_t(b)].path; });
        const int keep = perLabel > 0 && int(idx.size()) > perLabel ? int(idx.size()) - perLabel : int(idx.size());
        split.train.insert(split.train.end(), idx.begin(), idx.begin() + keep);
        split.test.insert(split.test.end(), idx.begin() + keep, idx.end());
    }
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.test.begin(), split.test.end());
    return split;
}

struct Personalizer::Impl {
    Dataset takes;
    Split split;
    PersonalizeOptions opt;
    ModelCard card;
    ResNet net{nullptr};
    bool done = false;

    PersonalizeResult run(const TrainCallbacks& cb, const std::atomic<bool>* cancel);
};

namespace {

bool cancelled(const std::atomic<bool>* cancel) { return cancel && cancel->load(); }

// The inputs a take contributes: copiesPerTake augmented crops.
struct TakeInputs {
    std::vector<MelMatrix> crops;
};

} // namespace

PersonalizeResult Personalizer::Impl::run(const TrainCallbacks& cb, const std::atomic<bool>* cancel)
{
    const auto t0 = std::chrono::steady_clock::now();
    const auto log = [&](const std::string& s) { if (cb.onLog) cb.onLog(s); };
    const auto progress = [&](const char* stage, int d, int t) { if (cb.onPrepare) cb.onPrepare(stage, d, t); };
    const int threads = opt.threads > 0 ? opt.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    const ComputeThreadsScope computeThreads(threads);
    PersonalizeResult result;

    LoadedModel base = loadModelFile(opt.baseModel); // ModelError names the file
    std::map<std::string, int> labelIndex;
    for (std::size_t i = 0; i < base.card.labels.size(); ++i) labelIndex[base.card.labels[i]] = int(i);

    // Training takes with a label the model knows.
    std::vector<int> trainIdx, target;
    for (int i : split.train) {
        const Clip& c = takes.clips.at(std::size_t(i));
        const auto it = labelIndex.find(c.label);
        if (it == labelIndex.end()) {
            log("skipped " + c.path + ": label '" + c.label + "' is not one of the model's labels");
            continue;
        }
        trainIdx.push_back(i);
        target.push_back(it->second);
    }
    if (trainIdx.empty()) throw std::invalid_argument("no takes to adapt on (every take is held back or unlabelled)");

    // Decode every take once at the model's rate (the audio is kept for waveform augmentation).
    FeatureCache cache(base.card.features, {}, true, FeatureCache::speechTrimMarginOf(base.card.input));
    std::vector<std::string> files;
    for (int i : trainIdx) files.push_back(takes.clips[std::size_t(i)].path);
    const auto prep = cache.prepare(files, threads, [&](int d, int t) { progress("takes", d, t); }, cancel);
    for (const auto& e : prep.errors) log("skipped " + e);
    if (prep.cancelled || cancelled(cancel)) return result.cancelled = true, result;
    {
        std::vector<int> keptIdx, keptTarget;
        for (std::size_t k = 0; k < trainIdx.size(); ++k)
            if (cache.contains(files[k])) keptIdx.push_back(trainIdx[k]), keptTarget.push_back(target[k]);
        trainIdx.swap(keptIdx);
        target.swap(keptTarget);
        files.clear();
        for (int i : trainIdx) files.push_back(takes.clips[std::size_t(i)].path);
    }
    if (trainIdx.empty()) throw std::invalid_argument("none of the takes could be read");

    // The robust recipe's augmentation, on the base model's own front end and input policy.
    TrainOptions recipe;
    applyRecipe("robust", recipe);
    Augmentations melAugment = recipe.augment;
    melAugment.noise = false; // noise goes into the waveform
    const Augmenter afterWave(melAugment, base.card.input, base.card.norm, base.card.features.topDb);
    const WaveAugmenter wave(recipe.wave, base.card.features.sampleRate,
                             std::size_t(std::max(1, base.card.input.trainCropFrames - 1)) * base.card.features.hopLength);

    const int n = int(trainIdx.size());
    const int copies = std::max(0, opt.copiesPerTake);
    std::vector<TakeInputs> inputs(static_cast<std::size_t>(n));
    parallelFor(n, threads, [&](int k) {
        if (cancelled(cancel)) return;
        const std::string& path = files[std::size_t(k)];
        TakeInputs& in = inputs[std::size_t(k)];
        // Other takes as background talkers, as in training (babble).
        std::vector<const std::vector<float>*> talkers;
        for (int j = 1; j <= 3 && n > 1; ++j) talkers.push_back(&cache.audio(files[std::size_t((k + j) % n)]));
        for (int c = 0; c < copies; ++c) {
            std::mt19937_64 rng(mixSeed(opt.seed, std::uint64_t(k) * 100003u + std::uint64_t(c)));
            in.crops.push_back(afterWave.make(cache.features(wave.make(cache.audio(path), talkers, rng)), rng));
        }
    }, [&](int d, int t) { progress("copies", d, t); });
    if (cancelled(cancel)) return result.cancelled = true, result;

    // Every input through the frozen part of the network once (eval mode: batch-norm statistics stay the base's).
    const int tail = std::clamp(opt.adaptBlocks, 0, base.net->blockCount());
    net = cloneNet(base.net);
    net->eval();
    torch::Tensor frozen, labels;
    {
        torch::NoGradGuard noGrad;
        std::vector<torch::Tensor> rows;
        std::vector<int64_t> ys;
        for (int k = 0; k < n; ++k) {
            std::vector<const MelMatrix*> crops;
            for (const auto& m : inputs[std::size_t(k)].crops) crops.push_back(&m);
            if (!crops.empty()) rows.push_back(net->prefix(toInputTensor(crops), tail));
            ys.insert(ys.end(), crops.size(), target[std::size_t(k)]);
            if (cancelled(cancel)) return result.cancelled = true, result;
        }
        if (rows.empty()) throw std::invalid_argument("personalize: no augmented copies to adapt on");
        frozen = torch::cat(rows, 0);
        labels = torch::tensor(ys, torch::kLong);
    }
    inputs.clear();

    // Every taught label weighs the same, whatever its number of takes.
    std::vector<int> count(base.card.labels.size(), 0);
    for (int t : target) ++count[std::size_t(t)];
    for (std::size_t l = 0; l < count.size(); ++l)
        if (count[l] > 0) result.labelsTaught.push_back(base.card.labels[l]);
    std::vector<float> w(std::size_t(labels.size(0)));
    const int64_t* y = labels.data_ptr<int64_t>();
    for (std::size_t r = 0; r < w.size(); ++r) w[r] = 1.0f / float(count[std::size_t(y[r])]);
    const torch::Tensor weight = torch::tensor(w);

    // Adapt the head and the last `tail` blocks, each pulled towards its base value (so little data moves the
    // model only as far as the takes justify). Batch norm stays in eval mode: a few takes give no usable statistics.
    torch::AutoGradMode gradOn(true); // grad mode is thread-local: set it in the thread that adapts
    torch::manual_seed(mixSeed(opt.seed, 0xADA97));
    std::vector<torch::Tensor> params{net->head()->weight, net->head()->bias};
    for (const auto& p : net->tailParameters(tail)) params.push_back(p);
    std::vector<torch::Tensor> anchors;
    for (const auto& p : params) anchors.push_back(p.detach().clone());
    torch::optim::Adam adam(params, torch::optim::AdamOptions(opt.learningRate));
    const double temperature = base.card.calibration.temperature > 0 ? base.card.calibration.temperature : 1.0;
    const int64_t rowsTotal = frozen.size(0), batch = std::min<int64_t>(64, rowsTotal);
    std::mt19937_64 rng(mixSeed(opt.seed, 0xBA7C));
    std::vector<int64_t> order(static_cast<std::size_t>(rowsTotal));
    std::size_t next = order.size();
    for (int step = 1; step <= opt.steps; ++step) {
        std::vector<int64_t> pick;
        while (int64_t(pick.size()) < batch) {
            if (next == order.size()) {
                std::iota(order.begin(), order.end(), 0);
                std::shuffle(order.begin(), order.end(), rng);
                next = 0;
            }
            pick.push_back(order[next++]);
        }
        const torch::Tensor idx = torch::tensor(pick, torch::kLong);
        adam.zero_grad();
        const torch::Tensor pooled = torch::dropout(net->tailEmbed(frozen.index_select(0, idx), tail), base.card.arch.dropout, true);
        const torch::Tensor logits = net->head()->forward(pooled) / temperature;
        const torch::Tensor ce = torch::nn::functional::cross_entropy(
            logits, labels.index_select(0, idx), torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone));
        const torch::Tensor wb = weight.index_select(0, idx);
        torch::Tensor loss = (ce * wb).sum() / wb.sum();
        for (std::size_t i = 0; i < params.size(); ++i) loss = loss + opt.anchor * (params[i] - anchors[i]).pow(2).sum();
        loss.backward();
        adam.step();
        if (step % 10 == 0 || step == opt.steps) {
            progress("adapt", step, opt.steps);
            if (cancelled(cancel)) return result.cancelled = true, result;
        }
    }
    for (auto& p : params) p.set_requires_grad(false);
    net->eval();

    std::set<std::string> speakers;
    for (int i : trainIdx)
        if (!takes.clips[std::size_t(i)].speaker.empty()) speakers.insert(takes.clips[std::size_t(i)].speaker);
    std::string who = opt.speaker;
    for (const auto& s : speakers) who += (who.empty() ? "" : ",") + s;
    if (!opt.speaker.empty()) who = opt.speaker;

    result.trainTakes = n;
    result.heldBackTakes = int(split.test.size());
    card = base.card;
    card.createdUtc = nowUtc();
    json prov{{"personalized", {{"base_model", opt.baseModel}, {"base_created", base.card.createdUtc},
                                {"speaker", who}, {"takes", n}, {"held_back", result.heldBackTakes},
                                {"labels", result.labelsTaught},
                                {"recipe", "head and last " + std::to_string(tail) + " block(s) fine-tuned; robust augmentation"},
                                {"copies_per_take", copies}, {"adapt_blocks", tail}, {"steps", opt.steps}, {"learning_rate", opt.learningRate},
                                {"anchor", opt.anchor}, {"seed", opt.seed}}}};
    if (!opt.command.empty()) prov["command"] = opt.command;
    if (!base.card.provenanceJson.empty()) prov["base"] = json::parse(base.card.provenanceJson, nullptr, false);
    card.provenanceJson = prov.dump();

    if (!split.test.empty()) {
        const auto baseModel = ClassifierFactory::make(opt.baseModel, base.card, base.net);
        const auto personal = ClassifierFactory::make({}, card, net);
        result.before = evaluateModel(*baseModel, takes, split.test, {}, cancel);
        result.after = evaluateModel(*personal, takes, split.test, {}, cancel);
        if (cancelled(cancel)) return result.cancelled = true, result;
    }
    json metrics{{"held_back", {{"takes", result.heldBackTakes}}}};
    if (!split.test.empty())
        metrics["held_back"].update({{"before", {{"accuracy", result.before.accuracy}, {"uar", result.before.uar}}},
                                     {"after", {{"accuracy", result.after.accuracy}, {"uar", result.after.uar}}}});
    card.metricsJson = metrics.dump();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    done = true;
    return result;
}

Personalizer::Personalizer(Dataset takes, Split split, PersonalizeOptions options) : impl_(std::make_unique<Impl>())
{
    if (options.baseModel.empty()) throw std::invalid_argument("personalize: no base model");
    if (options.copiesPerTake < 0 || options.copiesPerTake > 1000)
        throw std::invalid_argument("personalize: copies per take must be in [0, 1000]");
    if (options.steps < 1 || options.steps > 100000) throw std::invalid_argument("personalize: steps must be in [1, 100000]");
    if (!(options.learningRate > 0 && options.learningRate < 10))
        throw std::invalid_argument("personalize: learning rate must be in (0, 10)");
    if (!(options.anchor >= 0 && options.anchor < 1e6)) throw std::invalid_argument("personalize: anchor must be in [0, 1e6)");
    for (const auto* part : {&split.train, &split.test})
        for (int i : *part)
            if (i < 0 || i >= int(takes.clips.size())) throw std::invalid_argument("personalize: split index out of range");
    impl_->takes = std::move(takes);
    impl_->split = std::move(split);
    impl_->opt = std::move(options);
}

Personalizer::~Personalizer() = default;

PersonalizeResult Personalizer::run(const TrainCallbacks& callbacks, const std::atomic<bool>* cancel)
{
    impl_->done = false;
    return impl_->run(callbacks, cancel);
}

ModelCard Personalizer::card() const
{
    if (!impl_->done) throw std::logic_error("Personalizer::card before a completed run");
    return impl_->card;
}

void Personalizer::saveModel(const std::string& path) const
{
    if (!impl_->done) throw std::logic_error("Personalizer::saveModel before a completed run");
    saveModelFile(path, impl_->card, impl_->net);
}

std::shared_ptr<const Classifier> Personalizer::classifier() const
{
    if (!impl_->done) throw std::logic_error("Personalizer::classifier before a completed run");
    return ClassifierFactory::make({}, impl_->card, impl_->net);
}

} // namespace emoscope
