// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/GeneralisationReport.h"
#include "audio/AudioDecoder.h"
#include "audio/Degradation.h"
#include "infer/Classifier.h"
#include "train/Calibration.h"
#include "util/ParallelFor.h"
#include <nlohmann/json.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

namespace emoscope {

using nlohmann::json;

namespace {

std::string fixed(double v, int digits)
{
    std::ostringstream s;
    s << std::fixed << std::setprecision(digits) << v;
    return s.str();
}

std::string percent(double v) { return fixed(100 * v, 1); }

// Clips of label l in the report (its confusion row): a corpus without such clips has no recall for it.
int clipsOf(const EvaluationReport& r, std::size_t l)
{
    int n = 0;
    for (int v : r.confusion[l]) n += v;
    return n;
}

// Clip results of one condition, for one corpus, gathered over the folds.
struct Collected {
    std::set<std::string> speakers; // the corpus's speakers that were scored
    std::vector<ClipResult> clean;
    std::map<std::string, std::vector<ClipResult>> degraded;
    int ok = 0, okCorrect = 0, uncertain = 0, noSpeech = 0; // verdicts of the clean clips
};

// Scores `model` on split.test, clean and (on a seeded sample per corpus) under every standard condition; babble
// comes from split.train's clips, never a test speaker's. Results go to `collected` by corpus. `round` varies the
// seeds between the folds of one report.
// With options.keepClips, each clean clip's result is also appended to `kept` as fold `fold`.
void scoreHeldOut(const Dataset& dataset, const Split& split, const Classifier& model, int rate,
                  const ReportOptions& options, int round, std::map<std::string, Collected>& collected,
                  std::vector<ScoredClip>& kept, int fold, const TrainCallbacks& cb, const std::atomic<bool>* cancel)
{
    const auto log = [&](const std::string& s) { if (cb.onLog) cb.onLog(s); };
    const auto& conditions = standardConditions();
    // Background talkers for babble: training clips (never a test speaker), seeded.
    std::vector<std::vector<float>> talkerAudio;
    std::mt19937_64 pick(options.seed * 31 + std::uint64_t(round));
    for (int t = 0; t < 8 && !split.train.empty(); ++t) {
        const auto& c = dataset.clips[std::size_t(
            split.train[std::uniform_int_distribution<std::size_t>(0, split.train.size() - 1)(pick)])];
        try {
            DecodeOptions o;
            o.targetSampleRate = rate;
            talkerAudio.push_back(loadAudio(c.path, o).samples);
        } catch (const std::exception&) {
        }
    }
    std::vector<const std::vector<float>*> talkers;
    for (const auto& a : talkerAudio) talkers.push_back(&a);

    // The degraded sample: per corpus, a seeded choice of held-out clips.
    std::map<std::string, std::vector<int>> testOf;
    for (int i : split.test) testOf[dataset.clips[std::size_t(i)].source].push_back(i);
    std::set<int> degradedSet;
    if (options.degrade)
        for (auto& [source, idx] : testOf) {
            std::vector<int> s = idx;
            std::shuffle(s.begin(), s.end(), pick);
            s.resize(std::min<std::size_t>(s.size(), std::size_t(std::max(0, options.degradedClipsPerCorpus))));
            degradedSet.insert(s.begin(), s.end());
        }

    std::mutex mutex;
    const int threads = std::max(1, options.train.threads > 0 ? options.train.threads
                                                               : int(std::thread::hardware_concurrency()));
    std::map<std::string, int> labelIndex;
    for (std::size_t l = 0; l < model.labels().size(); ++l) labelIndex[model.labels()[l]] = int(l);
    parallelFor(int(split.test.size()), threads, [&](int n) {
        if (cancel && cancel->load()) return;
        const int i = split.test[std::size_t(n)];
        const Clip& c = dataset.clips[std::size_t(i)];
        auto li = labelIndex.find(c.label);
        if (li == labelIndex.end()) return;
        try {
            DecodeOptions o;
            o.targetSampleRate = rate;
            const AudioBuffer clean = loadAudio(c.path, o);
            ClipResult r;
            r.file = c.path;
            r.trueIndex = li->second;
            // judge: the same probabilities as classify, plus the status a user would see.
            const Verdict verdict = model.judge(clean);
            r.probabilities = verdict.probabilities;
            std::map<std::string, ClipResult> deg;
            if (degradedSet.count(i)) {
                for (std::size_t ci = 0; ci < conditions.size(); ++ci) {
                    AudioBuffer d;
                    d.sampleRate = rate;
                    d.samples = applyCondition(conditions[ci], clean.samples, rate,
                                               options.seed * 1000003ull + std::uint64_t(i) * 131ull + ci, talkers);
                    ClipResult dr = r;
                    dr.probabilities = model.classify(d);
                    deg[conditions[ci].name] = std::move(dr);
                }
            }
            std::lock_guard lock(mutex);
            auto& col = collected[corpusNameOf(c.source)];
            col.speakers.insert(c.speaker);
            col.ok += verdict.status == VerdictStatus::Ok;
            col.okCorrect += verdict.status == VerdictStatus::Ok && namedEmotion(verdict.status, r.probabilities) == r.trueIndex;
            col.uncertain += verdict.status == VerdictStatus::Uncertain;
            col.noSpeech += verdict.status == VerdictStatus::NoSpeech;
            if (options.keepClips)
                kept.push_back({fold, false, corpusNameOf(c.source), c.speaker, c.path, r.trueIndex, r.probabilities,
                                model.card().calibration.temperature, model.card().calibration.classBias});
            col.clean.push_back(std::move(r));
            for (auto& [name, dr] : deg) col.degraded[name].push_back(std::move(dr));
        } catch (const std::exception& e) {
            std::lock_guard lock(mutex);
            log("skipped " + c.path + ": " + e.what());
        }
    }, [&](int done, int total) { if (cb.onPrepare) cb.onPrepare("scoring round " + std::to_string(round + 1), done, total); });
}

// A fold's validation clips (ReportOptions::keepClips) as the trainer scored them to choose the epoch and fit the
// calibration, with the card's calibration applied, appended to `kept`.
void keepValidation(const Dataset& dataset, const TrainResult& trained, const ModelCard& card, int fold,
                    std::vector<ScoredClip>& kept)
{
    std::map<std::string, int> labelIndex;
    for (std::size_t l = 0; l < card.labels.size(); ++l) labelIndex[card.labels[l]] = int(l);
    for (std::size_t n = 0; n < trained.validationLogits.size() && n < trained.validationIndices.size(); ++n) {
        const Clip& c = dataset.clips[std::size_t(trained.validationIndices[n])];
        const auto li = labelIndex.find(c.label);
        if (li == labelIndex.end()) continue;
        kept.push_back({fold, true, corpusNameOf(c.source), c.speaker, c.path, li->second,
                        calibratedSoftmax(trained.validationLogits[n], card.calibration.temperature,
                                          card.calibration.classBias),
                        card.calibration.temperature, card.calibration.classBias});
    }
}

// Kept clips in a fixed order (they arrive in completion order): fold, validation before test, file.
void sortKept(std::vector<ScoredClip>& kept)
{
    std::sort(kept.begin(), kept.end(), [](const ScoredClip& a, const ScoredClip& b) {
        return std::tie(a.fold, b.validation, a.file) < std::tie(b.fold, a.validation, b.file);
    });
}

// The per-corpus figures of everything collected, in corpus order.
void addCorpusFigures(const std::map<std::string, Collected>& collected, GeneralisationReport& report)
{
    for (const auto& [name, col] : collected) {
        CorpusFigures f;
        f.corpus = name;
        f.speakers = int(col.speakers.size());
        // Results are gathered in completion order: sort by file so the report is the same on every run.
        const auto byFile = [](std::vector<ClipResult> v) {
            std::sort(v.begin(), v.end(), [](const ClipResult& a, const ClipResult& b) { return a.file < b.file; });
            return v;
        };
        f.clean = computeMetrics(report.labels, byFile(col.clean));
        std::vector<std::vector<float>> probs;
        std::vector<int> truth;
        for (const auto& r : f.clean.results) {
            probs.push_back(r.probabilities);
            truth.push_back(r.trueIndex);
        }
        f.ece = expectedCalibrationError(probs, truth);
        f.okClips = col.ok;
        f.okCorrect = col.okCorrect;
        f.uncertainClips = col.uncertain;
        f.noSpeechClips = col.noSpeech;
        for (const auto& [cond, results] : col.degraded) f.degraded[cond] = computeMetrics(report.labels, byFile(results));
        report.corpora.push_back(std::move(f));
    }
}

GeneralisationReport emptyReport(const Dataset& dataset, const ReportOptions& options)
{
    GeneralisationReport report;
    report.labels = dataset.labels;
    report.command = options.command;
    if (options.degrade)
        for (const auto& c : standardConditions()) report.conditions.push_back(c.name);
    return report;
}

} // namespace

double GeneralisationReport::meanUar() const
{
    if (corpora.empty()) return 0;
    double s = 0;
    for (const auto& c : corpora) s += c.clean.uar;
    return s / double(corpora.size());
}

GeneralisationReport runGeneralisationReport(const Dataset& dataset, const ReportOptions& options,
                                             const TrainCallbacks& cb, const std::atomic<bool>* cancel)
{
    const auto t0 = std::chrono::steady_clock::now();
    if (options.folds < 2 || options.folds > 20) throw std::invalid_argument("folds must be 2..20");
    GeneralisationReport report = emptyReport(dataset, options);
    const auto log = [&](const std::string& s) { if (cb.onLog) cb.onLog(s); };

    // Deal each corpus's speakers into folds (seeded), so every fold holds some speakers of every corpus.
    std::map<std::string, std::set<std::string>> speakersOf;
    for (const auto& c : dataset.clips)
        if (!c.speaker.empty()) speakersOf[c.source].insert(c.speaker);
    std::map<std::string, int> foldOf; // source + '\n' + speaker -> fold
    std::mt19937_64 rng(options.seed);
    for (auto& [source, set] : speakersOf) {
        std::vector<std::string> spk(set.begin(), set.end());
        std::shuffle(spk.begin(), spk.end(), rng);
        for (std::size_t k = 0; k < spk.size(); ++k) foldOf[source + '\n' + spk[k]] = int(k % std::size_t(options.folds));
    }
    const auto fold = [&](const Clip& c) {
        auto it = foldOf.find(c.source + '\n' + c.speaker);
        return it == foldOf.end() ? -1 : it->second; // clips without a speaker only ever train
    };

    std::map<std::string, Collected> collected; // by corpus
    json recipe;
    for (int k = 0; k < options.folds && !report.cancelled; ++k) {
        Split split;
        FoldSummary fs;
        fs.fold = k + 1;
        std::set<std::string> testSpeakers;
        for (std::size_t i = 0; i < dataset.clips.size(); ++i) {
            if (fold(dataset.clips[i]) == k) {
                split.test.push_back(int(i));
                testSpeakers.insert(corpusNameOf(dataset.clips[i].source) + ":" + dataset.clips[i].speaker);
            } else {
                split.train.push_back(int(i));
            }
        }
        fs.testSpeakers.assign(testSpeakers.begin(), testSpeakers.end());
        if (split.test.empty()) continue;
        TrainOptions to = options.train;
        to.splitDescription = "report fold " + std::to_string(k + 1) + "/" + std::to_string(options.folds);
        to.command = options.command;
        log("fold " + std::to_string(k + 1) + "/" + std::to_string(options.folds) + ": training on " +
            std::to_string(split.train.size()) + " clips, testing on " + std::to_string(split.test.size()) + " clips of " +
            std::to_string(testSpeakers.size()) + " held-out speakers");
        Trainer trainer(dataset, split, to);
        const TrainResult tr = trainer.run(cb, cancel);
        if (tr.cancelled) {
            report.cancelled = true;
            break;
        }
        const auto model = trainer.classifier();
        const ModelCard card = trainer.card();
        recipe = json::parse(card.provenanceJson);
        for (const char* key : {"data", "split", "train_clips", "validation_clips", "test_clips", "best_epoch",
                                "training_seconds", "date", "command"})
            recipe.erase(key);
        fs.trainClips = tr.trainClips;
        fs.validationClips = tr.validationClips;
        fs.testClips = tr.testClips;
        fs.bestEpoch = tr.bestEpoch;
        for (const auto& e : tr.history)
            if (e.epoch == tr.bestEpoch) fs.validationUar = e.validationUar;
        fs.temperature = card.calibration.temperature;
        fs.uncertainThreshold = card.calibration.uncertainThreshold;
        fs.classBias = card.calibration.classBias;
        fs.seconds = tr.seconds;
        scoreHeldOut(dataset, split, *model, card.features.sampleRate, options, k, collected, report.clips, k + 1, cb,
                     cancel);
        if (options.keepClips) keepValidation(dataset, tr, card, k + 1, report.clips);
        if (cancel && cancel->load()) report.cancelled = true;
        report.folds.push_back(fs);
    }
    addCorpusFigures(collected, report);
    sortKept(report.clips);
    report.recipeJson = recipe.is_null() ? "{}" : recipe.dump();
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

GeneralisationReport scoreModelOnSpeakers(const Dataset& dataset, const Classifier& model,
                                          const std::vector<std::string>& speakers, const ReportOptions& options,
                                          const TrainCallbacks& cb, const std::atomic<bool>* cancel)
{
    const auto t0 = std::chrono::steady_clock::now();
    GeneralisationReport report = emptyReport(dataset, options);
    report.modelPath = model.path();
    SplitSpec spec;
    spec.mode = SplitMode::Speaker;
    spec.testSpeakers = speakers;
    const Split split = makeSplit(dataset, spec); // unknown names are refused, listing the known ones
    const ModelCard& card = model.card();
    report.modelSpeakers = speakers;
    report.recipeJson = card.provenanceJson.empty() ? "{}" : card.provenanceJson;
    std::map<std::string, Collected> collected;
    scoreHeldOut(dataset, split, model, card.features.sampleRate, options, 0, collected, report.clips, 0, cb, cancel);
    report.cancelled = cancel && cancel->load();
    addCorpusFigures(collected, report);
    sortKept(report.clips);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return report;
}

std::string GeneralisationReport::toJson() const
{
    json j;
    j["labels"] = labels;
    j["conditions"] = conditions;
    j["mean_uar"] = meanUar();
    j["recipe"] = json::parse(recipeJson.empty() ? "{}" : recipeJson);
    j["command"] = command;
    j["seconds"] = seconds;
    j["cancelled"] = cancelled;
    if (!modelPath.empty()) {
        j["model"] = modelPath;
        j["speakers"] = modelSpeakers;
    }
    j["folds"] = json::array();
    for (const auto& f : folds)
        j["folds"].push_back({{"fold", f.fold}, {"test_speakers", f.testSpeakers}, {"train_clips", f.trainClips},
                              {"validation_clips", f.validationClips}, {"test_clips", f.testClips},
                              {"best_epoch", f.bestEpoch}, {"validation_uar", f.validationUar},
                              {"temperature", f.temperature}, {"class_bias", f.classBias},
                              {"uncertain_threshold", f.uncertainThreshold}, {"seconds", f.seconds}});
    j["corpora"] = json::array();
    for (const auto& c : corpora) {
        json cj{{"corpus", c.corpus}, {"speakers", c.speakers}, {"clips", c.clean.total()}, {"uar", c.clean.uar},
                {"accuracy", c.clean.accuracy}, {"macro_f1", c.clean.macroF1}, {"ece", c.ece},
                {"verdicts", {{"ok", c.okClips}, {"ok_correct", c.okCorrect}, {"uncertain", c.uncertainClips},
                              {"no_speech", c.noSpeechClips}}}};
        json recall = json::object();
        for (std::size_t l = 0; l < labels.size(); ++l)
            if (clipsOf(c.clean, l) > 0) recall[labels[l]] = c.clean.recall[l];
        cj["recall"] = recall;
        cj["confusion"] = c.clean.confusion;
        json deg = json::object();
        for (const auto& [name, r] : c.degraded) deg[name] = {{"uar", r.uar}, {"accuracy", r.accuracy}, {"clips", r.total()}};
        cj["degraded"] = deg;
        j["corpora"].push_back(cj);
    }
    return j.dump(2);
}

std::string GeneralisationReport::clipsJsonLines() const
{
    std::string out;
    for (const auto& c : clips)
        out += json{{"fold", c.fold},
                    {"role", c.validation ? "validation" : "test"},
                    {"corpus", c.corpus},
                    {"speaker", c.speaker},
                    {"file", c.file},
                    {"truth", c.truth},
                    {"label", c.truth >= 0 && std::size_t(c.truth) < labels.size() ? labels[std::size_t(c.truth)] : ""},
                    {"probabilities", c.probabilities},
                    {"temperature", c.temperature},
                    {"class_bias", c.classBias}}
                   .dump() +
               "\n";
    return out;
}

std::string GeneralisationReport::toMarkdown() const
{
    std::ostringstream m;
    if (modelPath.empty())
        m << "### Held-out speakers (leave-speakers-out, " << folds.size() << " folds)\n\n";
    else
        m << "### Held-out speakers of `" << std::filesystem::path(modelPath).filename().string()
          << "` (speakers it never trained on)\n\n";
    // "ok": the share of clips whose verdict names an emotion (neither uncertain nor no speech); "right when ok":
    // how often that named emotion is the true one.
    m << "| corpus | speakers | clips | UAR % | accuracy % | ECE % | ok % | right when ok % |\n"
         "|---|---|---|---|---|---|---|---|\n";
    for (const auto& c : corpora) {
        const int n = c.okClips + c.uncertainClips + c.noSpeechClips;
        m << "| " << c.corpus << " | " << c.speakers << " | " << c.clean.total() << " | " << percent(c.clean.uar) << " | "
          << percent(c.clean.accuracy) << " | " << percent(c.ece) << " | "
          << (n ? percent(double(c.okClips) / n) : std::string("—")) << " | "
          << (c.okClips ? percent(double(c.okCorrect) / c.okClips) : std::string("—")) << " |\n";
    }
    m << "| **mean over corpora** | | | **" << percent(meanUar()) << "** | | | | |\n\n";
    m << "Per-class recall (%; — where the corpus has no such clip):\n\n| corpus |";
    for (const auto& l : labels) m << " " << l << " |";
    m << "\n|---|";
    for (std::size_t l = 0; l < labels.size(); ++l) m << "---|";
    m << "\n";
    for (const auto& c : corpora) {
        m << "| " << c.corpus << " |";
        for (std::size_t l = 0; l < labels.size(); ++l) {
            m << " " << (clipsOf(c.clean, l) ? percent(c.clean.recall[l]) : std::string("—")) << " |";
        }
        m << "\n";
    }
    if (!conditions.empty()) {
        m << "\n### Degraded audio (UAR %, the same seeded sample of held-out clips in every column)\n\n| corpus |";
        for (const auto& n : conditions) m << " " << n << " |";
        m << "\n|---|";
        for (std::size_t i = 0; i < conditions.size(); ++i) m << "---|";
        m << "\n";
        for (const auto& c : corpora) {
            m << "| " << c.corpus << " |";
            for (const auto& n : conditions) {
                auto it = c.degraded.find(n);
                m << " " << (it == c.degraded.end() ? std::string("—") : percent(it->second.uar)) << " |";
            }
            m << "\n";
        }
    }
    if (!modelPath.empty()) {
        m << "\nSpeakers:";
        for (const auto& s : modelSpeakers) m << " " << s;
        m << ".\n";
    } else {
        m << "\n### Folds\n\n| fold | train clips | validation clips (held-out speakers) | best epoch | validation UAR % | "
             "temperature | uncertain below | minutes |\n|---|---|---|---|---|---|---|---|\n";
    }
    for (const auto& f : folds)
        m << "| " << f.fold << " | " << f.trainClips << " | " << f.validationClips << " | " << f.bestEpoch << " | "
          << percent(f.validationUar) << " | " << fixed(f.temperature, 2) << " | " << fixed(f.uncertainThreshold, 2)
          << " | " << fixed(f.seconds / 60, 1) << " |\n";
    m << "\nCommand: `" << command << "`" << (cancelled ? " (cancelled: partial)" : "") << "\n";
    return m.str();
}

} // namespace emoscope
