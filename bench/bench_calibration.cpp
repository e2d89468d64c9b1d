// SPDX-License-Identifier: GPL-3.0-or-later
// Calibration methods compared on the clips a leave-speakers-out report scored (emoscope-cli report --clips FILE):
// each method is fitted, per fold, on that fold's validation speakers only and applied to its held-out speakers;
// the table gives the expected calibration error per corpus over all folds, the worst corpus, and the mean UAR
// (a label bias can move the top label). Below it, bounds that look at the held-out labels (never a method): the
// temperatures fitted on the held-out clips themselves, pooled or per corpus, show how much any single temperature
// could do.
//   bench_calibration CLIPS.jsonl [--bins N]
#include "train/Calibration.h"
#include "train/Metrics.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace emoscope;

namespace {

struct Row {
    int fold = 0;
    bool validation = false;
    std::string corpus, speaker;
    int truth = -1;
    std::vector<float> logits; // recovered: T * (log p - bias), up to a constant
};

// A calibration: temperature and optional label bias per fold, or, when `matrix` is set (k x k, row-major), the
// affine map z' = matrix z + bias instead of the temperature.
struct FoldCalibration {
    double temperature = 1;
    std::vector<double> bias;
    std::vector<double> matrix;
};
using Method = std::function<FoldCalibration(const std::vector<const Row*>& validation)>;

std::vector<double> affine(const std::vector<float>& z, const FoldCalibration& c)
{
    const std::size_t k = z.size();
    std::vector<double> out(k, 0.0);
    for (std::size_t i = 0; i < k; ++i) {
        for (std::size_t j = 0; j < k; ++j) out[i] += c.matrix[i * k + j] * double(z[j]);
        out[i] += i < c.bias.size() ? c.bias[i] : 0.0;
    }
    return out;
}

std::vector<float> probabilitiesOf(const Row& r, const FoldCalibration& c)
{
    if (c.matrix.empty()) return calibratedSoftmax(r.logits, c.temperature, c.bias);
    const auto p = softmaxOf(affine(r.logits, c));
    return std::vector<float>(p.begin(), p.end());
}

// Vector scaling (diagonal) or matrix scaling (full, off-diagonal terms penalised as in Kull et al. 2019's ODIR):
// z' = W z + b fitted by Adam on the weighted mean NLL, starting from the temperature fit (W = I / T, b = 0).
// The penalties are fixed here, not tuned on any result: offDiagonal on the sum of squared off-diagonal terms,
// 1e-3 on the squared biases.
FoldCalibration fitAffine(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth,
                          const std::vector<double>& weights, double temperature, bool full, double offDiagonal)
{
    const std::size_t k = logits.front().size();
    FoldCalibration c;
    c.matrix.assign(k * k, 0.0);
    for (std::size_t i = 0; i < k; ++i) c.matrix[i * k + i] = 1.0 / temperature;
    c.bias.assign(k, 0.0);
    const std::size_t params = k * k + k;
    std::vector<double> m(params, 0.0), v(params, 0.0);
    double total = 0;
    for (double w : weights) total += w;
    const double rate = 0.01, b1 = 0.9, b2 = 0.999;
    for (int step = 1; step <= 3000; ++step) {
        std::vector<double> grad(params, 0.0);
        for (std::size_t n = 0; n < logits.size(); ++n) {
            auto p = softmaxOf(affine(logits[n], c));
            p[std::size_t(truth[n])] -= 1.0; // dNLL/dz'
            const double w = weights[n] / total;
            for (std::size_t i = 0; i < k; ++i) {
                for (std::size_t j = 0; j < k; ++j)
                    if (full || i == j) grad[i * k + j] += w * p[i] * double(logits[n][j]);
                grad[k * k + i] += w * p[i];
            }
        }
        for (std::size_t i = 0; i < k; ++i) {
            for (std::size_t j = 0; j < k; ++j)
                if (i != j && full) grad[i * k + j] += 2 * offDiagonal * c.matrix[i * k + j];
            grad[k * k + i] += 2e-3 * c.bias[i];
        }
        for (std::size_t q = 0; q < params; ++q) {
            m[q] = b1 * m[q] + (1 - b1) * grad[q];
            v[q] = b2 * v[q] + (1 - b2) * grad[q] * grad[q];
            const double step_ = rate * (m[q] / (1 - std::pow(b1, step))) / (std::sqrt(v[q] / (1 - std::pow(b2, step))) + 1e-8);
            if (q < k * k) c.matrix[q] -= step_;
            else c.bias[q - k * k] -= step_;
        }
    }
    return c;
}

struct FoldRows {
    std::vector<const Row*> validation, test;
};

std::vector<std::vector<float>> logitsOf(const std::vector<const Row*>& rows)
{
    std::vector<std::vector<float>> l;
    for (const Row* r : rows) l.push_back(r->logits);
    return l;
}

std::vector<int> truthOf(const std::vector<const Row*>& rows)
{
    std::vector<int> t;
    for (const Row* r : rows) t.push_back(r->truth);
    return t;
}

// ECE per corpus of rows calibrated fold by fold.
std::map<std::string, double> eceByCorpus(const std::map<int, FoldRows>& folds, const std::map<int, FoldCalibration>& cal,
                                          int bins)
{
    std::map<std::string, std::vector<std::vector<float>>> probs;
    std::map<std::string, std::vector<int>> truth;
    for (const auto& [fold, split] : folds)
        for (const Row* r : split.test) {
            probs[r->corpus].push_back(probabilitiesOf(*r, cal.at(fold)));
            truth[r->corpus].push_back(r->truth);
        }
    std::map<std::string, double> e;
    for (const auto& [corpus, p] : probs) e[corpus] = expectedCalibrationError(p, truth[corpus], bins);
    return e;
}

// Accuracy, mean top confidence and UAR per corpus under a calibration (accuracy and UAR from computeMetrics).
struct Summary {
    double accuracy = 0, confidence = 0, uar = 0;
};
std::map<std::string, Summary> summaries(const std::map<int, FoldRows>& folds, const std::map<int, FoldCalibration>& cal,
                                         const std::vector<std::string>& labels)
{
    std::map<std::string, std::vector<ClipResult>> results;
    std::map<std::string, double> confidence;
    for (const auto& [fold, split] : folds)
        for (const Row* r : split.test) {
            ClipResult c;
            c.trueIndex = r->truth;
            c.probabilities = probabilitiesOf(*r, cal.at(fold));
            confidence[r->corpus] += *std::max_element(c.probabilities.begin(), c.probabilities.end());
            results[r->corpus].push_back(std::move(c));
        }
    std::map<std::string, Summary> s;
    for (auto& [corpus, rows] : results) {
        const double n = double(rows.size());
        const EvaluationReport m = computeMetrics(labels, std::move(rows));
        s[corpus] = {m.accuracy, confidence[corpus] / n, m.uar};
    }
    return s;
}

std::vector<std::string> groupsOf(const std::vector<const Row*>& rows, bool bySpeaker)
{
    std::vector<std::string> g;
    for (const Row* r : rows) g.push_back(bySpeaker ? r->corpus + ":" + r->speaker : r->corpus);
    return g;
}

// The core's worst-group temperature (Calibration.h) with each row's corpus as its group.
double minimaxTemperature(const std::vector<const Row*>& rows, int bins)
{
    return worstGroupEceTemperature(logitsOf(rows), truthOf(rows), groupsOf(rows, false), bins);
}

} // namespace

int main(int argc, char** argv)
{
    std::string path;
    int bins = 15;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--bins") && i + 1 < argc) bins = std::stoi(argv[++i]);
        else if (path.empty() && argv[i][0] != '-') path = argv[i];
        else {
            std::fprintf(stderr, "usage: bench_calibration CLIPS.jsonl [--bins N]\n");
            return 2;
        }
    }
    if (path.empty()) {
        std::fprintf(stderr, "usage: bench_calibration CLIPS.jsonl [--bins N]\n");
        return 2;
    }
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "bench_calibration: %s: cannot open\n", path.c_str());
        return 1;
    }
    std::vector<Row> rows;
    int labels = 0;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.empty()) continue;
        try {
            const auto j = nlohmann::json::parse(line);
            Row r;
            r.fold = j.at("fold").get<int>();
            r.validation = j.at("role").get<std::string>() == "validation";
            r.corpus = j.at("corpus").get<std::string>();
            r.speaker = j.at("speaker").get<std::string>();
            r.truth = j.at("truth").get<int>();
            const auto p = j.at("probabilities").get<std::vector<float>>();
            const double T = j.at("temperature").get<double>();
            const auto bias = j.at("class_bias").get<std::vector<double>>();
            for (std::size_t k = 0; k < p.size(); ++k)
                r.logits.push_back(float(T * (std::log(std::max(double(p[k]), 1e-30)) - (k < bias.size() ? bias[k] : 0.0))));
            labels = std::max(labels, int(p.size()));
            if (r.truth < 0 || r.truth >= int(p.size())) throw std::runtime_error("truth out of range");
            rows.push_back(std::move(r));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bench_calibration: %s:%d: %s\n", path.c_str(), n, e.what());
            return 1;
        }
    }
    std::vector<std::string> labelNames; // computeMetrics needs one name per label; the indices do here
    for (int k = 0; k < labels; ++k) labelNames.push_back(std::to_string(k));
    std::map<int, FoldRows> folds;
    std::set<std::string> corpora;
    for (const Row& r : rows) {
        (r.validation ? folds[r.fold].validation : folds[r.fold].test).push_back(&r);
        if (!r.validation) corpora.insert(r.corpus);
    }
    std::printf("%zu clips, %zu folds, %d bins\n\n", rows.size(), folds.size(), bins);
    for (const auto& [fold, s] : folds) {
        if (s.validation.empty()) {
            std::fprintf(stderr, "bench_calibration: fold %d has no validation clips (a model's report?): the methods "
                                 "need a recipe's report\n", fold);
            return 1;
        }
    }

    const std::vector<std::pair<std::string, Method>> methods = {
        {"none (T = 1)", [](const std::vector<const Row*>&) { return FoldCalibration{}; }},
        {"T, corpora weigh the same (shipped)",
         [](const std::vector<const Row*>& v) {
             return FoldCalibration{fitCalibration(logitsOf(v), truthOf(v), 0.7, equalGroupWeights(groupsOf(v, false))).temperature, {}, {}};
         }},
        {"T, clips weigh the same",
         [](const std::vector<const Row*>& v) { return FoldCalibration{fitCalibration(logitsOf(v), truthOf(v)).temperature, {}, {}}; }},
        {"T, speakers weigh the same",
         [](const std::vector<const Row*>& v) {
             return FoldCalibration{fitCalibration(logitsOf(v), truthOf(v), 0.7, equalGroupWeights(groupsOf(v, true))).temperature, {}, {}};
         }},
        {"T + label bias, corpora the same",
         [](const std::vector<const Row*>& v) {
             const auto f = fitCalibration(logitsOf(v), truthOf(v), 0.7, equalGroupWeights(groupsOf(v, false)), true);
             return FoldCalibration{f.temperature, f.classBias, {}};
         }},
        {"T minimising the worst corpus's ECE", [bins](const std::vector<const Row*>& v) {
             return FoldCalibration{minimaxTemperature(v, bins), {}, {}};
         }},
        {"vector scaling (W diagonal + b), corpora the same",
         [](const std::vector<const Row*>& v) {
             const auto w = equalGroupWeights(groupsOf(v, false));
             return fitAffine(logitsOf(v), truthOf(v), w, fitCalibration(logitsOf(v), truthOf(v), 0.7, w).temperature, false, 0);
         }},
        {"matrix scaling (ODIR 0.01), corpora the same",
         [](const std::vector<const Row*>& v) {
             const auto w = equalGroupWeights(groupsOf(v, false));
             return fitAffine(logitsOf(v), truthOf(v), w, fitCalibration(logitsOf(v), truthOf(v), 0.7, w).temperature, true, 0.01);
         }},
    };
    std::printf("Fitted on each fold's validation speakers, scored on its held-out speakers (ECE %%):\n\n| method |");
    for (const auto& c : corpora) std::printf(" %s |", c.c_str());
    std::printf(" worst | mean UAR %% | temperatures |\n|---|");
    for (std::size_t i = 0; i < corpora.size() + 3; ++i) std::printf("---|");
    std::printf("\n");
    const auto printRow = [&](const std::string& name, const std::map<int, FoldCalibration>& cal) {
        const auto e = eceByCorpus(folds, cal, bins);
        const auto s = summaries(folds, cal, labelNames);
        double worst = 0, uar = 0;
        std::printf("| %s |", name.c_str());
        for (const auto& c : corpora) {
            std::printf(" %.1f |", 100 * e.at(c));
            worst = std::max(worst, e.at(c));
            uar += s.at(c).uar;
        }
        std::printf(" %.1f | %.1f |", 100 * worst, 100 * uar / double(corpora.size()));
        for (const auto& [fold, c] : cal) {
            if (c.matrix.empty()) std::printf(" %.2f", c.temperature);
            else std::printf(" —");
        }
        std::printf(" |\n");
    };
    std::map<int, FoldCalibration> shipped;
    for (const auto& [name, method] : methods) {
        std::map<int, FoldCalibration> cal;
        for (const auto& [fold, s] : folds) cal[fold] = method(s.validation);
        if (name.find("(shipped)") != std::string::npos) shipped = cal;
        printRow(name, cal);
    }

    std::printf("\nBounds, fitted on the held-out clips themselves (not methods; they read the test labels):\n\n| bound |");
    for (const auto& c : corpora) std::printf(" %s |", c.c_str());
    std::printf(" worst | mean UAR %% | temperatures |\n|---|");
    for (std::size_t i = 0; i < corpora.size() + 3; ++i) std::printf("---|");
    std::printf("\n");
    {
        std::map<int, FoldCalibration> cal;
        for (const auto& [fold, s] : folds)
            cal[fold] = {fitCalibration(logitsOf(s.test), truthOf(s.test), 0.7, equalGroupWeights(groupsOf(s.test, false))).temperature, {}, {}};
        printRow("T per fold on its held-out clips", cal);
    }
    {
        std::map<int, FoldCalibration> cal;
        for (const auto& [fold, s] : folds) cal[fold] = {minimaxTemperature(s.test, bins), {}, {}};
        printRow("T per fold minimising its worst held-out corpus", cal);
    }
    // Per corpus: the corpus's own temperature on its held-out clips, each fold apart (a user never knows the corpus).
    std::printf("| each corpus its own T per fold (held-out) |");
    double worst = 0;
    for (const auto& corpus : corpora) {
        std::vector<std::vector<float>> p;
        std::vector<int> t;
        for (const auto& [fold, s] : folds) {
            std::vector<const Row*> mine;
            for (const Row* r : s.test)
                if (r->corpus == corpus) mine.push_back(r);
            if (mine.empty()) continue;
            const double T = fitCalibration(logitsOf(mine), truthOf(mine)).temperature;
            for (const Row* r : mine) {
                p.push_back(calibratedSoftmax(r->logits, T, {}));
                t.push_back(r->truth);
            }
        }
        const double e = expectedCalibrationError(p, t, bins);
        worst = std::max(worst, e);
        std::printf(" %.1f |", 100 * e);
    }
    std::printf(" %.1f | | |\n", 100 * worst);

    std::printf("\nWith the shipped method: accuracy and mean top confidence per corpus (%%):\n\n"
                "| corpus | accuracy | mean confidence | gap |\n|---|---|---|---|\n");
    for (const auto& [corpus, s] : summaries(folds, shipped, labelNames))
        std::printf("| %s | %.1f | %.1f | %+.1f |\n", corpus.c_str(), 100 * s.accuracy, 100 * s.confidence,
                    100 * (s.confidence - s.accuracy));
    return 0;
}
