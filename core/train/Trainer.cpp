// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/Trainer.h"
#include "infer/Classifier.h"
#include "net/ClassifierFactory.h"
#include "model/InputPrep.h"
#include "model/ModelError.h"
#include "net/ModelIO.h"
#include "train/Augmenter.h"
#include "train/Calibration.h"
#include "train/Checkpoint.h"
#include "train/CheckpointFile.h"
#include "train/EpochHistory.h"
#include "train/FeatureCache.h"
#include "train/OneCycleSchedule.h"
#include "train/WaveAugmenter.h"
#include "train/WeightAverage.h"
#include "train/RunSupport.h"
#include "util/AtomicFile.h"
#include "util/ParallelFor.h"
#include <nlohmann/json.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace emoscope {

using nlohmann::json;

namespace {


} // namespace

void applyRecipe(const std::string& name, TrainOptions& o)
{
    if (name == "robust") {
        // Everything resampled to 16 kHz and analyzed up to 8 kHz: ASED (16 kHz) is then no different in
        // bandwidth from the other corpora, and telephone/band-limited audio is covered by augmentation.
        o.features = FeatureConfig{};
        o.features.sampleRate = 16000;
        o.features.nFft = 1024;
        o.features.winLength = 1024;
        o.features.hopLength = 320;
        o.features.nMels = 80;
        o.features.fMin = 50;
        o.features.fMax = 8000;
        o.input.trainCropFrames = 96; // 1.9 s
        // One block per stage: 3x cheaper than two at about the same accuracy, which buys more epochs of
        // augmented data within the 60-minute budget on 2 cores.
        o.arch.widths = {32, 64, 128, 256};
        o.arch.blocksPerStage = 1;
        o.arch.dropout = 0.3;
        o.augment = Augmentations{};
        o.augment.gain = false;  // the dB reference is the clip's maximum: level is no cue to begin with
        o.augment.noise = false; // noise is added to the waveform instead
        o.augment.frequencyWarp = true;
        o.augment.frequencyWarpMax = 0.2;
        o.wave = WaveAugmentations{};
        o.wave.enabled = true;
        o.perUtteranceBandMean = true; // removes a microphone's or room's fixed colouring
        o.validationSpeakerFraction = 0.2;
        o.balanceCorpora = true;
        o.calibrate = true;
        o.weightDecay = 0.05;
        o.weightAverageDecay = 0.998; // about 500 batches, 2-3 epochs: validation UAR jumped 5-20 points between epochs
        o.recipe = name;
        return;
    }
    if (name == "robust-mixup") { // an experiment beside the shipped recipe: robust plus mixup
        applyRecipe("robust", o);
        o.mixupAlpha = 0.4;
        o.recipe = name;
        return;
    }
    if (name == "robust-stats") { // an experiment beside the shipped recipe: robust with statistics pooling
        applyRecipe("robust", o);
        o.arch.pooling = Pooling::MeanStd;
        o.recipe = name;
        return;
    }
    if (name == "robust-bias") { // an experiment beside the shipped recipe: robust plus a per-label calibration bias
        applyRecipe("robust", o);
        o.calibrateClassBias = true;
        o.recipe = name;
        return;
    }
    if (name == "robust-long") { // an experiment beside the shipped recipe: robust with 3 s training crops
        // Inference pools over the whole clip (2-4 s in these corpora); 1.9 s crops may be too short for prosody.
        applyRecipe("robust", o);
        o.input.trainCropFrames = 150;
        o.recipe = name;
        return;
    }
    if (name == "robust-trim") { // an experiment beside the shipped recipe: robust on each clip's speech span only
        // The trim keeps 60% of RAVDESS, 69% of ASED, 98% of TESS and 99.7% of nEMO (bench_speech_trim): with
        // whole-clip pooling and per-band mean removal the amount of silence is a corpus cue, and a 1.9 s crop of
        // a 3.7 s RAVDESS clip is often half silence.
        applyRecipe("robust", o);
        o.input.trimToSpeech = true; // with InputPolicy's 0.2 s margin
        o.recipe = name;
        return;
    }
    if (name == "robust-wide") { // the shipped model's recipe: robust with 1.5x as many channels
        // Chosen on validation speakers (+2.7 points UAR over robust, models/README.md): 2.2x the weights, about
        // 2x the time per epoch.
        applyRecipe("robust", o);
        o.arch.widths = {48, 96, 192, 384};
        // The pre-registered rule of models/README.md ("Calibration methods compared"): the temperature that
        // minimises the worst corpus's ECE on the validation speakers (nEMO 18.5 -> 16.0 on held-out speakers).
        o.calibrateWorstCorpus = true;
        o.recipe = name;
        return;
    }
    if (name == "robust-wide-adversary") { // an experiment beside the shipped recipe: robust-wide plus a speaker adversary
        // Speaker-independent features: a head that tells the training voices apart is trained against (gradient
        // reversal), so what the emotion head reads carries less of the voice, its language and room.
        applyRecipe("robust-wide", o);
        o.speakerAdversaryWeight = 0.3;
        o.recipe = name;
        return;
    }
    if (name == "default" || name.empty()) {
        o.recipe = "";
        return;
    }
    throw std::invalid_argument("unknown recipe '" + name + "' (known: robust, robust-mixup, robust-stats, robust-bias, robust-long, robust-trim, robust-wide, robust-wide-adversary, default)");
}

struct Trainer::Impl {
    Dataset dataset;
    Split split;
    TrainOptions opt;

    ModelCard card;
    ResNet net{nullptr};
    ResNet best{nullptr};
    std::unique_ptr<WeightAverage> average; // TrainOptions::weightAverageDecay > 0
    std::vector<int> modelLabelOf; // per dataset clip: index into card.labels, -1 when the model lacks the label
    std::vector<int> trainIdx, valIdx, testIdx;
    std::vector<EpochReport> history;
    int bestEpoch = 0;
    double bestUar = -1, bestValLoss = 1e300;
    TrainResult result;
    bool ran = false;

    void log(const TrainCallbacks& cb, const std::string& s) const
    {
        if (cb.onLog) cb.onLog(s);
    }

    void setUpModel(const TrainCallbacks& cb)
    {
        if (opt.fromModel) {
            LoadedModel m = loadModelFile(*opt.fromModel); // ModelError names the file
            card = m.card;
            net = m.net;
            card.provenanceJson.clear();
            card.metricsJson.clear();
        } else {
            card = ModelCard{};
            card.labels = dataset.labels;
            card.features = opt.features;
            card.arch = opt.arch;
            card.input = opt.input;
            card.norm.perUtteranceBandMean = opt.perUtteranceBandMean;
            try {
                card.validate();
            } catch (const std::exception& e) {
                throw std::invalid_argument(std::string("training options: ") + e.what());
            }
            torch::manual_seed(mixSeed(opt.seed, 0xA11CE)); // the initial weights depend on the seed only
            net = ResNet(card.arch, int(card.labels.size()));
        }
        modelLabelOf.assign(dataset.clips.size(), -1);
        std::map<std::string, int> index;
        for (std::size_t i = 0; i < card.labels.size(); ++i) index[card.labels[i]] = int(i);
        int missing = 0;
        for (std::size_t i = 0; i < dataset.clips.size(); ++i) {
            auto it = index.find(dataset.clips[i].label);
            if (it != index.end()) modelLabelOf[i] = it->second;
            else ++missing;
        }
        if (missing) log(cb, std::to_string(missing) + " clips have labels the model does not know; they are left out");
    }

    // Stratified validation part carved from the train part; the test part is never touched.
    void carveValidation(const std::vector<int>& train, const TrainCallbacks& cb)
    {
        if (opt.validationSpeakerFraction > 0) return carveValidationSpeakers(train, cb);
        std::map<int, std::vector<int>> byLabel;
        for (int i : train)
            if (modelLabelOf[i] >= 0) byLabel[modelLabelOf[i]].push_back(i);
        std::mt19937_64 rng(mixSeed(opt.seed, 0x5EED));
        trainIdx.clear();
        valIdx.clear();
        for (auto& [label, idx] : byLabel) {
            std::shuffle(idx.begin(), idx.end(), rng);
            int nVal = int(std::lround(double(idx.size()) * opt.validationFraction));
            if (opt.validationFraction > 0 && nVal == 0 && idx.size() >= 2) nVal = 1;
            nVal = std::min<int>(nVal, int(idx.size()) - 1);
            valIdx.insert(valIdx.end(), idx.begin(), idx.begin() + std::max(0, nVal));
            trainIdx.insert(trainIdx.end(), idx.begin() + std::max(0, nVal), idx.end());
        }
        std::sort(trainIdx.begin(), trainIdx.end());
        std::sort(valIdx.begin(), valIdx.end());
    }

    // Validation on speakers the model never trains on: per corpus (dataset root) with >= 3 training speakers,
    // a seeded choice of validationSpeakerFraction of them (at least one). Clips without a speaker train.
    void carveValidationSpeakers(const std::vector<int>& train, const TrainCallbacks& cb)
    {
        std::map<std::string, std::set<std::string>> speakersOf;
        for (int i : train)
            if (modelLabelOf[i] >= 0 && !dataset.clips[i].speaker.empty())
                speakersOf[dataset.clips[i].source].insert(dataset.clips[i].speaker);
        std::mt19937_64 rng(mixSeed(opt.seed, 0x5EED));
        std::set<std::string> held;
        for (auto& [source, set] : speakersOf) {
            if (set.size() < 3) continue;
            std::vector<std::string> spk(set.begin(), set.end());
            std::shuffle(spk.begin(), spk.end(), rng);
            const int n = std::max(1, int(std::lround(double(spk.size()) * opt.validationSpeakerFraction)));
            std::string names;
            for (int k = 0; k < n; ++k) {
                held.insert(spk[std::size_t(k)]);
                names += (k ? " " : "") + spk[std::size_t(k)];
            }
            log(cb, "validation speakers of " + source + ": " + names);
        }
        trainIdx.clear();
        valIdx.clear();
        for (int i : train) {
            if (modelLabelOf[i] < 0) continue;
            (held.count(dataset.clips[i].speaker) ? valIdx : trainIdx).push_back(i);
        }
    }

    // The weights validation scores and keepBest keeps: the running average when there is one.
    ResNet validated() const { return average ? average->average() : net; }

    // Per-clip, whole-length forward of `model` in eval mode, like inference; returns {loss, report}.
    std::pair<double, EvaluationReport> evaluate(ResNet model, const std::vector<int>& idx,
                                                 const FeatureCache& cache,
                                                 std::vector<std::vector<float>>* logitsOut = nullptr)
    {
        torch::NoGradGuard noGrad;
        model->eval();
        std::vector<ClipResult> results;
        double lossSum = 0;
        for (int i : idx) {
            MelMatrix m = padFrames(cache.get(dataset.clips[i].path), card.input.minFrames);
            normaliseInPlace(m, card.norm);
            const torch::Tensor logits = model->forward(toInputTensor({&m}));
            if (logitsOut) {
                const torch::Tensor l = logits.contiguous();
                logitsOut->emplace_back(l.data_ptr<float>(), l.data_ptr<float>() + l.numel());
            }
            lossSum += torch::nn::functional::cross_entropy(logits, torch::tensor({int64_t(modelLabelOf[i])})).item<double>();
            const torch::Tensor p = torch::softmax(logits, 1).contiguous();
            ClipResult r;
            r.file = dataset.clips[i].path;
            r.trueIndex = modelLabelOf[i];
            r.probabilities.assign(p.data_ptr<float>(), p.data_ptr<float>() + p.numel());
            r.predictedIndex = -1;
            results.push_back(std::move(r));
        }
        net->train();
        return {idx.empty() ? 0.0 : lossSum / double(idx.size()), computeMetrics(card.labels, std::move(results))};
    }

    void computeNormalisation(const FeatureCache& cache)
    {
        double sum = 0, sumSq = 0;
        long long n = 0;
        Normalisation centredOnly = card.norm;
        centredOnly.mean = 0;
        centredOnly.std = 1;
        for (int i : trainIdx) {
            MelMatrix m = cache.get(dataset.clips[i].path);
            normaliseInPlace(m, centredOnly); // applies the per-band mean removal when switched on
            for (float v : m.data) {
                sum += v;
                sumSq += double(v) * v;
            }
            n += static_cast<long long>(m.data.size());
        }
        if (n == 0) return;
        const double mean = sum / double(n);
        const double var = std::max(1e-6, sumSq / double(n) - mean * mean);
        card.norm.mean = float(mean);
        card.norm.std = float(std::sqrt(var));
    }

    // Checkpoints are CheckpointFile containers (plain JSON + raw tensors): loading one can never run code.
    void saveCheckpoint(torch::optim::AdamW& optimizer, int epoch) const
    {
        CheckpointState s;
        s.cardJson = card.toJson();
        s.epoch = epoch;
        s.bestEpoch = bestEpoch;
        s.bestUar = bestUar;
        s.bestValLoss = bestValLoss;
        s.historyJson = epochHistoryToJson(history);
        s.fingerprint = fingerprint();
        s.averageUpdates = average ? average->updates() : -1;
        try {
            const ResNet averaged = average ? average->average() : ResNet(nullptr);
            CheckpointFile::write(opt.checkpointPath, s, net, best, optimizer, average ? &averaged : nullptr);
        } catch (const std::exception& e) {
            throw std::runtime_error(opt.checkpointPath + ": cannot write the checkpoint: " + e.what());
        }
    }

    // Restores everything an epoch boundary needs; returns the completed epoch count.
    int loadCheckpoint(torch::optim::AdamW& optimizer, const TrainCallbacks& cb)
    {
        const std::string& path = opt.checkpointPath;
        try {
            const CheckpointFile file = CheckpointFile::read(path); // ModelError names the file and the reason
            const CheckpointState& s = file.state();
            if (s.fingerprint != fingerprint())
                log(cb, path + ": checkpoint was written with other options or data; resuming anyway");
            const ModelCard saved = ModelCard::fromJson(s.cardJson);
            if (saved.labels != card.labels || !(saved.arch == card.arch) || !(saved.features == card.features))
                throw std::runtime_error("checkpoint holds a different model (labels, architecture or features)");
            std::vector<EpochReport> savedHistory = epochHistoryFromJson(s.historyJson);
            ResNet averaged = average ? average->average() : ResNet(nullptr);
            // Checks every tensor before changing anything.
            const bool averageRestored = file.restore(net, best, optimizer, average ? &averaged : nullptr);
            if (average && averageRestored) average->setUpdates(long(s.averageUpdates));
            else if (average) {
                average->reset(net); // a checkpoint of a run without the average: it starts over here
                log(cb, path + ": the checkpoint holds no weight average; it starts over from the resumed weights");
            }
            card.norm = saved.norm;
            card.input = saved.input;
            bestEpoch = s.bestEpoch;
            bestUar = s.bestUar;
            bestValLoss = s.bestValLoss;
            history = std::move(savedHistory);
            return s.epoch;
        } catch (const ModelError&) {
            throw;
        } catch (const std::exception& e) {
            throw ModelError(path, std::string("unusable checkpoint: ") + e.what());
        }
    }

    std::string fingerprint() const
    {
        json j{{"seed", opt.seed}, {"epochs", opt.epochs}, {"batch", opt.batchSize}, {"lr", opt.maxLearningRate},
               {"wd", opt.weightDecay}, {"balanced", opt.balancedSampling}, {"val", opt.validationFraction},
               {"aug", {opt.augment.specAugment, opt.augment.timeShift, opt.augment.gain, opt.augment.noise,
                        opt.augment.frequencyWarp, opt.augment.frequencyWarpMax}},
               {"wave", {opt.wave.enabled, opt.wave.noiseProbability, opt.wave.reverbProbability,
                         opt.wave.bandProbability, opt.wave.microphoneProbability}},
               {"valspk", opt.validationSpeakerFraction}, {"balc", opt.balanceCorpora}, {"recipe", opt.recipe},
               {"avg", opt.weightAverageDecay}, {"mixup", opt.mixupAlpha}, {"adv", opt.speakerAdversaryWeight},
               {"train", trainIdx.size()}, {"valn", valIdx.size()}, {"from", opt.fromModel.value_or("")}};
        return j.dump();
    }

    // Per-run state of the steps below.
    std::unique_ptr<FeatureCache> cache;
    int threads = 1;
    std::vector<double> sampleWeight; // per trainIdx entry; empty = plain shuffle
    // TrainOptions::speakerAdversaryWeight > 0: per dataset clip, its speaker's index among the training speakers
    // (kNoSpeaker: no speaker, or not a training clip), and the adversary head with its own optimiser (both set
    // together; never saved).
    static constexpr int64_t kNoSpeaker = -100; // cross_entropy's ignore_index
    std::vector<int64_t> speakerIdOf;
    torch::nn::Sequential adversary{nullptr};
    std::unique_ptr<torch::optim::AdamW> adversaryOptimizer;
    double batchSecondsTotal = 0;
    long batchesRun = 0;

    struct EpochPlan {
        explicit EpochPlan(const Impl& t);
        int batches;
        OneCycleSchedule schedule;
        Augmenter augmenter, plain, afterWave;
        WaveAugmenter wave;
        bool anyMelAugmentation;
    };

    TrainResult run(const TrainCallbacks& cb, const std::atomic<bool>* cancel);
    void checkOptions() const;
    bool prepareData(const TrainCallbacks& cb, const std::atomic<bool>* cancel);
    void dropNonFinite(const TrainCallbacks& cb);
    int resume(torch::optim::AdamW& optimizer, const TrainCallbacks& cb);
    void computeSampleWeights();
    void setUpAdversary(const TrainCallbacks& cb);
    void makeBatch(const EpochPlan& plan, const std::vector<int>& order, std::size_t first, std::size_t last,
                   std::mt19937_64& rng, std::vector<MelMatrix>& inputs, std::vector<int64_t>& targets) const;
    bool trainEpoch(int epoch, const EpochPlan& plan, torch::optim::AdamW& optimizer, const TrainCallbacks& cb,
                    const std::atomic<bool>* cancel, EpochReport& rep);
    void keepBest(EpochReport& rep);
    json calibrate(const TrainCallbacks& cb);
    void finishCard(const json& calibrationMetrics);
};

// The steps of a run, in order: check the options, prepare the data (model, parts, features, normalisation), set up
// the optimiser and resume, train epoch by epoch keeping the best, calibrate, score the test part, write the card.
TrainResult Trainer::Impl::run(const TrainCallbacks& cb, const std::atomic<bool>* cancel)
{
    const auto t0 = std::chrono::steady_clock::now();
    checkOptions();
    threads = opt.threads > 0 ? opt.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    const ComputeThreadsScope computeThreads(threads); // restored when the run ends: no process-wide side effect
    torch::AutoGradMode gradOn(true); // grad mode is thread-local: set it in the thread that trains

    // A checkpoint to resume from is checked before any work (features take minutes on a large dataset).
    std::error_code ec;
    if (opt.resume && !opt.checkpointPath.empty() && std::filesystem::exists(opt.checkpointPath, ec))
        (void)readCheckpoint(opt.checkpointPath);
    result = TrainResult{};
    ran = true;
    if (!prepareData(cb, cancel)) {
        result.cancelled = true;
        best = cloneNet(net);
        return result;
    }
    net->train();
    best = cloneNet(net);
    if (opt.weightAverageDecay > 0) average = std::make_unique<WeightAverage>(net, opt.weightAverageDecay);
    torch::optim::AdamW optimizer(net->parameters(),
                                  torch::optim::AdamWOptions(opt.maxLearningRate).weight_decay(opt.weightDecay));
    const int startEpoch = resume(optimizer, cb);
    computeSampleWeights();
    setUpAdversary(cb);
    const EpochPlan plan(*this);

    bool cancelled = false;
    for (int epoch = startEpoch + 1; epoch <= opt.epochs && !cancelled; ++epoch) {
        EpochReport rep;
        cancelled = !trainEpoch(epoch, plan, optimizer, cb, cancel, rep);
        if (cancelled) break;
        keepBest(rep);
        history.push_back(rep);
        if (!opt.checkpointPath.empty()) saveCheckpoint(optimizer, epoch);
        if (cb.onEpoch) cb.onEpoch(rep);
    }

    copyState(*best, *net);
    net->eval();
    average.reset();
    result.cancelled = cancelled;
    result.bestEpoch = bestEpoch;
    result.history = history;
    result.validationIndices = valIdx;
    if (!cancelled && !valIdx.empty()) evaluate(net, valIdx, *cache, &result.validationLogits);
    const json calibrationMetrics = cancelled ? json() : calibrate(cb);
    if (!cancelled && !testIdx.empty()) result.test = evaluate(net, testIdx, *cache).second;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    finishCard(calibrationMetrics);
    cache.reset();
    return result;
}

void Trainer::Impl::checkOptions() const
{
    opt.validate(); // the one set of limits, the same the CLI and the GUI check up front
}

// Model, parts (train / validation / test), features of every clip involved (once, in parallel; unreadable clips
// dropped and logged) and, from scratch, the normalisation. False when cancelled.
bool Trainer::Impl::prepareData(const TrainCallbacks& cb, const std::atomic<bool>* cancel)
{
    setUpModel(cb);
    carveValidation(split.train, cb);
    testIdx.clear();
    for (int i : split.test)
        if (modelLabelOf[i] >= 0) testIdx.push_back(i);
    cache = std::make_unique<FeatureCache>(card.features, opt.featureCacheDir, opt.wave.enabled,
                                           FeatureCache::speechTrimMarginOf(card.input));
    std::vector<std::string> files;
    for (const auto* part : {&trainIdx, &valIdx, &testIdx})
        for (int i : *part) files.push_back(dataset.clips[i].path);
    const auto prep = cache->prepare(files, threads,
                                     [&](int d, int t) { if (cb.onPrepare) cb.onPrepare("features", d, t); }, cancel);
    for (const auto& e : prep.errors) log(cb, "skipped " + e);
    if (prep.cancelled) return false;
    const auto keepReadable = [&](std::vector<int>& idx) {
        idx.erase(std::remove_if(idx.begin(), idx.end(), [&](int i) { return !cache->contains(dataset.clips[i].path); }),
                  idx.end());
    };
    keepReadable(trainIdx);
    keepReadable(valIdx);
    keepReadable(testIdx);
    dropNonFinite(cb);
    if (trainIdx.empty()) throw std::invalid_argument("no readable training clips");
    std::set<int> trainLabels;
    for (int i : trainIdx) trainLabels.insert(modelLabelOf[i]);
    if (trainLabels.size() < 2) {
        const std::string only = card.labels[std::size_t(*trainLabels.begin())];
        std::string where;
        for (const auto& r : dataset.roots) where += (where.empty() ? "" : ", ") + r;
        // From scratch a one-label classifier learns nothing; fine-tuning on one label is allowed, with a warning.
        if (opt.fromScratch())
            throw std::invalid_argument(where + ": the training clips all have one label ('" + only +
                                        "'): a classifier needs at least two labels");
        log(cb, "warning: " + where + ": the training clips all have one label ('" + only + "')");
    }
    result.trainClips = int(trainIdx.size());
    result.validationClips = int(valIdx.size());
    result.testClips = int(testIdx.size());
    if (opt.fromScratch()) computeNormalisation(*cache);
    return true;
}

// A clip whose audio or features hold NaN or infinite values would make every loss NaN: named in the log and left
// out before training starts.
void Trainer::Impl::dropNonFinite(const TrainCallbacks& cb)
{
    const auto finite = [](const std::vector<float>& v) {
        return std::all_of(v.begin(), v.end(), [](float x) { return std::isfinite(x); });
    };
    const auto keepFinite = [&](std::vector<int>& idx) {
        idx.erase(std::remove_if(idx.begin(), idx.end(), [&](int i) {
                      const std::string& path = dataset.clips[i].path;
                      if (finite(cache->get(path).data) && (!opt.wave.enabled || finite(cache->audio(path)))) return false;
                      log(cb, "skipped " + path + ": non-finite audio or features (NaN or infinite values)");
                      return true;
                  }),
                  idx.end());
    };
    keepFinite(trainIdx);
    keepFinite(valIdx);
    keepFinite(testIdx);
}

// Completed epochs found in the checkpoint (0 = a fresh start).
int Trainer::Impl::resume(torch::optim::AdamW& optimizer, const TrainCallbacks& cb)
{
    std::error_code ec;
    if (!opt.resume || opt.checkpointPath.empty() || !std::filesystem::exists(opt.checkpointPath, ec)) return 0;
    const int startEpoch = loadCheckpoint(optimizer, cb);
    result.resumedFromEpoch = startEpoch;
    log(cb, "resumed from " + opt.checkpointPath + " after epoch " + std::to_string(startEpoch));
    return startEpoch;
}

// Sampling weights per training clip: by label (balancedSampling: 1/count), or by corpus and label
// (balanceCorpora: every corpus the same share, every label the same share within it). Empty = plain shuffle.
void Trainer::Impl::computeSampleWeights()
{
    sampleWeight.clear();
    if (opt.balanceCorpora) {
        std::map<std::pair<std::string, int>, int> cell;
        std::map<std::string, std::set<int>> labelsOf;
        for (int i : trainIdx) {
            ++cell[{dataset.clips[i].source, modelLabelOf[i]}];
            labelsOf[dataset.clips[i].source].insert(modelLabelOf[i]);
        }
        for (int i : trainIdx) {
            const auto& c = dataset.clips[i];
            sampleWeight.push_back(1.0 / (double(labelsOf.size()) * double(labelsOf[c.source].size()) *
                                          double(cell[{c.source, modelLabelOf[i]}])));
        }
    } else if (opt.balancedSampling) {
        std::vector<int> countOf(card.labels.size(), 0);
        for (int i : trainIdx) ++countOf[modelLabelOf[i]];
        for (int i : trainIdx) sampleWeight.push_back(1.0 / countOf[modelLabelOf[i]]);
    }
}

// The speaker adversary of TrainOptions::speakerAdversaryWeight: one class per training speaker (corpus and
// speaker name), a two-layer head on the pooled features, and its own AdamW at the run's peak learning rate.
void Trainer::Impl::setUpAdversary(const TrainCallbacks& cb)
{
    adversary = torch::nn::Sequential(nullptr);
    adversaryOptimizer.reset();
    speakerIdOf.assign(dataset.clips.size(), kNoSpeaker);
    if (!(opt.speakerAdversaryWeight > 0)) return;
    std::map<std::string, int64_t> ids;
    for (int i : trainIdx) {
        const Clip& c = dataset.clips[std::size_t(i)];
        if (c.speaker.empty()) continue;
        const auto [it, added] = ids.emplace(c.source + "\n" + c.speaker, int64_t(ids.size()));
        speakerIdOf[std::size_t(i)] = it->second;
    }
    if (ids.size() < 2) {
        log(cb, "speaker adversary off: the training clips name fewer than two speakers");
        return;
    }
    const int width = card.arch.pooledWidth();
    torch::manual_seed(mixSeed(opt.seed, 0xAD7));
    adversary = torch::nn::Sequential(torch::nn::Linear(width, 128), torch::nn::ReLU(),
                                      torch::nn::Linear(128, int64_t(ids.size())));
    adversary->train();
    adversaryOptimizer = std::make_unique<torch::optim::AdamW>(
        adversary->parameters(), torch::optim::AdamWOptions(opt.maxLearningRate).weight_decay(opt.weightDecay));
    std::ostringstream line;
    line << "speaker adversary: " << ids.size() << " training speakers, weight " << opt.speakerAdversaryWeight;
    log(cb, line.str());
}

// What stays the same across epochs: batch count, learning-rate schedule, augmenters, loss.
Trainer::Impl::EpochPlan::EpochPlan(const Impl& t)
    : batches(int((t.trainIdx.size() + t.opt.batchSize - 1) / t.opt.batchSize)),
      schedule(t.opt.maxLearningRate, long(t.opt.epochs) * batches),
      augmenter(t.opt.augment, t.card.input, t.card.norm, t.card.features.topDb),
      plain(Augmentations{false, false, false, false, false}, t.card.input, t.card.norm, t.card.features.topDb),
      // With waveform augmentation the mel augmenter only places/warps/masks (noise is in the waveform already).
      afterWave([&] {
          Augmentations a = t.opt.augment;
          a.noise = false;
          return a;
      }(), t.card.input, t.card.norm, t.card.features.topDb),
      wave(t.opt.wave, t.card.features.sampleRate,
           std::size_t(std::max(1, t.card.input.trainCropFrames - 1)) * t.card.features.hopLength),
      anyMelAugmentation(t.opt.augment.specAugment || t.opt.augment.timeShift || t.opt.augment.gain ||
                         t.opt.augment.noise || t.opt.augment.frequencyWarp)
{
}

// The training inputs of order[first, last): waveform-augmented (one seed per clip, drawn in order, so the batch
// is the same whatever the number of workers) or mel-augmented from the cache.
void Trainer::Impl::makeBatch(const EpochPlan& plan, const std::vector<int>& order, std::size_t first, std::size_t last,
                              std::mt19937_64& rng, std::vector<MelMatrix>& inputs, std::vector<int64_t>& targets) const
{
    inputs.clear();
    targets.clear();
    if (opt.wave.enabled) {
        const int n = int(last - first);
        std::vector<std::uint64_t> seeds(std::size_t(n), 0);
        for (auto& sd : seeds) sd = rng();
        inputs.resize(std::size_t(n));
        parallelFor(n, threads, [&](int k) {
            std::mt19937_64 r(seeds[std::size_t(k)]);
            std::vector<const std::vector<float>*> talkers;
            for (int t = 0; t < 3; ++t)
                talkers.push_back(&cache->audio(
                    dataset.clips[trainIdx[std::uniform_int_distribution<std::size_t>(0, trainIdx.size() - 1)(r)]].path));
            const std::vector<float> wave =
                plan.wave.make(cache->audio(dataset.clips[order[first + std::size_t(k)]].path), talkers, r);
            inputs[std::size_t(k)] = plan.afterWave.make(cache->features(wave), r);
        });
        for (std::size_t k = first; k < last; ++k) targets.push_back(modelLabelOf[order[k]]);
        return;
    }
    for (std::size_t k = first; k < last; ++k) {
        const int i = order[k];
        inputs.push_back((plan.anyMelAugmentation ? plan.augmenter : plan.plain).make(cache->get(dataset.clips[i].path), rng));
        targets.push_back(modelLabelOf[i]);
    }
}

// One epoch over the training part, then the validation part. False when cancelled (within one batch).
bool Trainer::Impl::trainEpoch(int epoch, const EpochPlan& plan, torch::optim::AdamW& optimizer,
                               const TrainCallbacks& cb, const std::atomic<bool>* cancel, EpochReport& rep)
{
    const auto e0 = std::chrono::steady_clock::now();
    // Every random choice of this epoch comes from (seed, epoch): shuffling/sampling, augmentation, dropout.
    std::mt19937_64 rng(mixSeed(opt.seed, 1000 + epoch));
    torch::manual_seed(mixSeed(opt.seed, 2000 + epoch));
    std::vector<int> order;
    if (!sampleWeight.empty()) {
        std::discrete_distribution<std::size_t> pick(sampleWeight.begin(), sampleWeight.end());
        for (std::size_t k = 0; k < trainIdx.size(); ++k) order.push_back(trainIdx[pick(rng)]);
    } else {
        order = trainIdx;
        std::shuffle(order.begin(), order.end(), rng);
    }
    const auto lossOptions = torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(opt.labelSmoothing);
    double lossSum = 0;
    long correct = 0, seen = 0;
    std::vector<MelMatrix> inputs;
    std::vector<int64_t> targets;
    net->train();
    for (int b = 0; b < plan.batches; ++b) {
        if (cancel && cancel->load()) return false;
        const auto b0 = std::chrono::steady_clock::now();
        const std::size_t first = std::size_t(b) * opt.batchSize;
        const std::size_t last = std::min(order.size(), first + std::size_t(opt.batchSize));
        makeBatch(plan, order, first, last, rng, inputs, targets);
        if (cb.onBatchInputs) cb.onBatchInputs(epoch, b + 1, inputs);
        std::vector<const MelMatrix*> ptrs;
        for (const auto& m : inputs) ptrs.push_back(&m);
        const torch::Tensor x = toInputTensor(ptrs);
        const torch::Tensor y = torch::tensor(targets, torch::kLong);
        for (auto& g : optimizer.param_groups())
            static_cast<torch::optim::AdamWOptions&>(g.options()).lr(plan.schedule.at(long(epoch - 1) * plan.batches + b));
        optimizer.zero_grad();
        torch::Tensor logits, loss, adversaryLoss;
        if (adversary) adversaryOptimizer->zero_grad();
        if (opt.mixupAlpha > 0 && x.size(0) > 1) {
            // Beta(a, a) from two Gammas, drawn from the epoch's generator so a resumed run draws the same.
            std::gamma_distribution<double> gamma(opt.mixupAlpha, 1.0);
            const double g1 = gamma(rng), g2 = gamma(rng);
            const double lambda = g1 + g2 > 0 ? g1 / (g1 + g2) : 0.5;
            std::vector<int64_t> perm(std::size_t(x.size(0)));
            std::iota(perm.begin(), perm.end(), 0);
            std::shuffle(perm.begin(), perm.end(), rng);
            const torch::Tensor p = torch::tensor(perm, torch::kLong);
            logits = net->forward(x * lambda + x.index_select(0, p) * (1.0 - lambda));
            loss = torch::nn::functional::cross_entropy(logits, y, lossOptions) * lambda +
                   torch::nn::functional::cross_entropy(logits, y.index_select(0, p), lossOptions) * (1.0 - lambda);
        } else if (adversary) {
            const torch::Tensor features = net->embed(x);
            logits = net->logitsOf(features);
            std::vector<int64_t> speakers;
            for (std::size_t k = first; k < last; ++k) speakers.push_back(speakerIdOf[std::size_t(order[k])]);
            // Clips without a speaker (kNoSpeaker) leave the adversary's loss; a batch with no speaker at all has none.
            const bool anySpeaker =
                std::any_of(speakers.begin(), speakers.end(), [](int64_t s) { return s != kNoSpeaker; });
            // DANN's ramp: the reversal weighs 0 at the start (the adversary first learns on features still
            // unshaped by it) and approaches speakerAdversaryWeight by the end of the run.
            const double progress = double(long(epoch - 1) * plan.batches + b) / double(long(opt.epochs) * plan.batches);
            const double weight = opt.speakerAdversaryWeight * (2.0 / (1.0 + std::exp(-10.0 * progress)) - 1.0);
            loss = torch::nn::functional::cross_entropy(logits, y, lossOptions); // the loss reported
            if (anySpeaker)
                adversaryLoss = torch::nn::functional::cross_entropy(
                    adversary->forward(reverseGradient(features, weight)), torch::tensor(speakers, torch::kLong),
                    torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kNoSpeaker));
        } else {
            logits = net->forward(x);
            loss = torch::nn::functional::cross_entropy(logits, y, lossOptions);
        }
        const double lossValue = loss.item<double>();
        if (!std::isfinite(lossValue)) { // stop at once, naming the clips, instead of training on NaN
            std::string clips;
            for (std::size_t k = first; k < last && k < first + 8; ++k) clips += (clips.empty() ? "" : ", ") + dataset.clips[order[k]].path;
            if (last - first > 8) clips += ", ...";
            throw std::runtime_error("training diverged: the loss is not finite in epoch " + std::to_string(epoch) +
                                     ", batch " + std::to_string(b + 1) + " (clips " + clips + ")");
        }
        (adversaryLoss.defined() ? loss + adversaryLoss : loss).backward();
        optimizer.step();
        if (adversary) adversaryOptimizer->step();
        if (average) average->update(net);
        const auto n = long(targets.size());
        lossSum += lossValue * double(n);
        correct += logits.argmax(1).eq(y).sum().item<long>();
        seen += n;
        batchSecondsTotal += std::chrono::duration<double>(std::chrono::steady_clock::now() - b0).count();
        ++batchesRun;
        if (cb.onBatch) {
            BatchProgress p;
            p.epoch = epoch;
            p.epochs = opt.epochs;
            p.batch = b + 1;
            p.batches = plan.batches;
            p.loss = lossSum / double(seen);
            p.accuracy = double(correct) / double(seen);
            const long remaining = long(opt.epochs - epoch) * plan.batches + (plan.batches - b - 1);
            p.etaSeconds = batchSecondsTotal / double(batchesRun) * double(remaining);
            cb.onBatch(p);
        }
    }
    rep = EpochReport{};
    rep.epoch = epoch;
    rep.trainLoss = seen ? lossSum / double(seen) : 0;
    rep.trainAccuracy = seen ? double(correct) / double(seen) : 0;
    if (!valIdx.empty()) {
        const auto [vLoss, vRep] = evaluate(validated(), valIdx, *cache);
        rep.validationLoss = vLoss;
        rep.validationAccuracy = vRep.accuracy;
        rep.validationUar = vRep.uar;
    }
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - e0).count();
    return true;
}

// Best = highest validation UAR, ties broken by lower validation loss (on easy data many epochs reach 100%).
// Without a validation part the last epoch is kept.
void Trainer::Impl::keepBest(EpochReport& rep)
{
    const bool better = valIdx.empty() || rep.validationUar > bestUar + 1e-12 ||
                        (std::abs(rep.validationUar - bestUar) <= 1e-12 && rep.validationLoss < bestValLoss);
    if (!better) return;
    rep.best = true;
    bestUar = rep.validationUar;
    bestValLoss = rep.validationLoss;
    bestEpoch = rep.epoch;
    copyState(*validated(), *best);
}

// Temperature and "uncertain" threshold fitted on the validation part with the best weights (TrainOptions::calibrate).
json Trainer::Impl::calibrate(const TrainCallbacks& cb)
{
    if (!opt.calibrate || valIdx.empty()) return json();
    const std::vector<std::vector<float>>& logits = result.validationLogits;
    std::vector<int> truth;
    std::vector<std::string> corpus;
    for (int i : valIdx) {
        truth.push_back(modelLabelOf[i]);
        corpus.push_back(dataset.clips[i].source);
    }
    // Every corpus weighs the same: one temperature for all of them, not the one of the corpus with most clips.
    // With calibrateWorstCorpus the temperature is the one whose worst corpus is best calibrated.
    const CalibrationFit fit = fitCalibration(logits, truth, 0.7, equalGroupWeights(corpus), opt.calibrateClassBias,
                                              opt.calibrateWorstCorpus ? corpus : std::vector<std::string>{});
    card.calibration.temperature = fit.temperature;
    card.calibration.classBias = fit.classBias;
    card.calibration.uncertainThreshold = fit.uncertainThreshold;
    log(cb, "calibration on " + std::to_string(valIdx.size()) + " validation clips: " + fit.toJson());
    return json::parse(fit.toJson());
}

// Metrics and provenance into the card.
void Trainer::Impl::finishCard(const json& calibrationMetrics)
{
    json metrics = json::object();
    for (const auto& e : history)
        if (e.epoch == bestEpoch)
            metrics["validation"] = {{"epoch", e.epoch}, {"accuracy", e.validationAccuracy}, {"uar", e.validationUar},
                                     {"loss", e.validationLoss}, {"total", result.validationClips}};
    if (!calibrationMetrics.is_null()) metrics["calibration"] = calibrationMetrics;
    if (result.test.total() > 0) {
        json t = json::parse(result.test.toJson());
        t.erase("misclassified"); // the card keeps figures, not file lists
        metrics["test"] = t;
    }
    card.metricsJson = metrics.dump();
    json prov{{"data", dataset.roots},
              {"split", opt.splitDescription},
              {"train_clips", result.trainClips},
              {"validation_clips", result.validationClips},
              {"test_clips", result.testClips},
              {"epochs", opt.epochs},
              {"best_epoch", bestEpoch},
              {"seed", opt.seed},
              {"batch_size", opt.batchSize},
              {"max_learning_rate", opt.maxLearningRate},
              {"weight_decay", opt.weightDecay},
              {"label_smoothing", opt.labelSmoothing},
              {"augment", {{"spec_augment", opt.augment.specAugment}, {"time_shift", opt.augment.timeShift},
                           {"gain", opt.augment.gain}, {"noise", opt.augment.noise},
                           {"frequency_warp", opt.augment.frequencyWarp},
                           {"frequency_warp_max", opt.augment.frequencyWarpMax}}},
              {"balanced_sampling", opt.balancedSampling},
              {"recipe", opt.recipe},
              {"wave_augment", opt.wave.enabled ? json{{"noise", opt.wave.noiseProbability},
                                                       {"snr_db", {opt.wave.snrMinDb, opt.wave.snrMaxDb}},
                                                       {"reverb", opt.wave.reverbProbability},
                                                       {"band", opt.wave.bandProbability},
                                                       {"microphone", opt.wave.microphoneProbability}}
                                                 : json(false)},
              {"validation", opt.validationSpeakerFraction > 0
                                 ? "held-out speakers (" + std::to_string(opt.validationSpeakerFraction) + " per corpus)"
                                 : "stratified clips (" + std::to_string(opt.validationFraction) + ")"},
              {"balance_corpora", opt.balanceCorpora},
              {"weight_average_decay", opt.weightAverageDecay},
              {"mixup_alpha", opt.mixupAlpha},
              {"speaker_adversary_weight", opt.speakerAdversaryWeight},
              {"calibration_weights", opt.calibrate ? json("every corpus the same total weight") : json()},
              {"calibration_class_bias", opt.calibrate && opt.calibrateClassBias},
              {"calibration_objective", !opt.calibrate ? json()
                                        : opt.calibrateWorstCorpus ? json("smallest worst-corpus ECE")
                                                                   : json("NLL")},
              {"validation_fraction", opt.validationFraction},
              {"from", opt.startDescription()},
              {"threads", threads},
              {"training_seconds", result.seconds},
              {"command", opt.command},
              {"date", nowUtc()}};
    card.provenanceJson = prov.dump();
    card.createdUtc = nowUtc();
}

Trainer::Trainer(Dataset dataset, Split split, TrainOptions options) : impl_(std::make_unique<Impl>())
{
    impl_->dataset = std::move(dataset);
    impl_->split = std::move(split);
    impl_->opt = std::move(options);
    const int n = int(impl_->dataset.clips.size());
    for (const auto* part : {&impl_->split.train, &impl_->split.test})
        for (int i : *part)
            if (i < 0 || i >= n) throw std::invalid_argument("split index out of range");
}

Trainer::~Trainer() = default;

TrainResult Trainer::run(const TrainCallbacks& callbacks, const std::atomic<bool>* cancel)
{
    return impl_->run(callbacks, cancel);
}

ModelCard Trainer::card() const
{
    if (!impl_->ran || !impl_->net) throw std::logic_error("Trainer::card() before run()");
    return impl_->card;
}

void Trainer::saveModel(const std::string& path) const
{
    if (!impl_->ran || !impl_->net) throw std::logic_error("Trainer::saveModel() before run()");
    saveModelFile(path, impl_->card, impl_->best);
}

std::shared_ptr<const Classifier> Trainer::classifier() const
{
    if (!impl_->ran || !impl_->net) throw std::logic_error("Trainer::classifier() before run()");
    // An independent copy: the Classifier may outlive the Trainer and be used from other threads.
    return ClassifierFactory::make("(trained in memory)", impl_->card, impl_->best);
}

} // namespace emoscope
