// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/Calibration.h"
#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <utility>
#include <stdexcept>

namespace emoscope {

namespace {

double weightOf(const std::vector<double>& weights, std::size_t i)
{
    return weights.empty() ? 1.0 : weights[i];
}

void checkWeights(const std::vector<double>& weights, std::size_t n)
{
    if (!weights.empty() && weights.size() != n) throw std::invalid_argument("weights and clips differ in count");
    for (double w : weights)
        if (!(std::isfinite(w) && w >= 0)) throw std::invalid_argument("weights must be finite and >= 0");
}

} // namespace

double negativeLogLikelihood(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth,
                             double temperature, const std::vector<double>& weights)
{
    if (logits.size() != truth.size()) throw std::invalid_argument("logits and labels differ in count");
    checkWeights(weights, logits.size());
    double nll = 0, total = 0;
    for (std::size_t i = 0; i < logits.size(); ++i) {
        const auto& l = logits[i];
        const double top = *std::max_element(l.begin(), l.end()) / temperature;
        double sum = 0;
        for (float v : l) sum += std::exp(v / temperature - top);
        const double w = weightOf(weights, i);
        nll -= w * (l[std::size_t(truth[i])] / temperature - top - std::log(sum));
        total += w;
    }
    return total > 0 ? nll / total : 0.0;
}

double expectedCalibrationError(const std::vector<std::vector<float>>& probabilities, const std::vector<int>& truth,
                                int bins, const std::vector<double>& weights)
{
    if (probabilities.size() != truth.size()) throw std::invalid_argument("probabilities and labels differ in count");
    checkWeights(weights, probabilities.size());
    std::vector<double> conf(std::size_t(bins), 0), right(std::size_t(bins), 0);
    double total = 0;
    for (std::size_t i = 0; i < probabilities.size(); ++i) {
        const auto& p = probabilities[i];
        const auto top = std::max_element(p.begin(), p.end());
        const int b = std::min(bins - 1, int(*top * bins));
        const double w = weightOf(weights, i);
        conf[std::size_t(b)] += w * *top;
        right[std::size_t(b)] += (top - p.begin()) == truth[i] ? w : 0;
        total += w;
    }
    double ece = 0;
    for (int b = 0; b < bins; ++b) ece += std::abs(right[std::size_t(b)] - conf[std::size_t(b)]);
    return total > 0 ? ece / total : 0.0;
}

std::vector<double> equalGroupWeights(const std::vector<std::string>& groupOfClip)
{
    std::map<std::string, double> count;
    for (const auto& g : groupOfClip) count[g] += 1;
    std::vector<double> w;
    w.reserve(groupOfClip.size());
    const double perGroup = double(groupOfClip.size()) / double(std::max<std::size_t>(1, count.size()));
    for (const auto& g : groupOfClip) w.push_back(perGroup / count[g]);
    return w;
}

CalibrationFit fitCalibration(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth,
                              double targetAccuracy, const std::vector<double>& weights)
{
    checkWeights(weights, logits.size());
    CalibrationFit f;
    f.clips = int(logits.size());
    f.targetAccuracy = targetAccuracy;
    if (logits.empty()) return f;
    // NLL is convex in 1/T: golden-section search on log T over [1/20, 20].
    const auto nll = [&](double logT) { return negativeLogLikelihood(logits, truth, std::exp(logT), weights); };
    double a = std::log(0.05), b = std::log(20.0);
    const double g = (std::sqrt(5.0) - 1) / 2;
    double c = b - g * (b - a), d = a + g * (b - a);
    for (int it = 0; it < 80; ++it) {
        if (nll(c) < nll(d)) b = d;
        else a = c;
        c = b - g * (b - a);
        d = a + g * (b - a);
    }
    f.temperature = std::exp((a + b) / 2);
    f.nllBefore = negativeLogLikelihood(logits, truth, 1.0, weights);
    f.nllAfter = negativeLogLikelihood(logits, truth, f.temperature, weights);
    std::vector<std::vector<float>> before, after;
    for (const auto& l : logits) {
        before.push_back(softmaxWithTemperature(l, 1.0));
        after.push_back(softmaxWithTemperature(l, f.temperature));
    }
    f.eceBefore = expectedCalibrationError(before, truth, 15, weights);
    f.eceAfter = expectedCalibrationError(after, truth, 15, weights);
    // Weighted share of all clips, and weighted accuracy, of the verdicts kept at threshold t.
    const auto keptAt = [&](double t) {
        double kept = 0, right = 0, total = 0;
        for (std::size_t i = 0; i < after.size(); ++i) {
            const double w = weightOf(weights, i);
            total += w;
            const auto top = std::max_element(after[i].begin(), after[i].end());
            if (*top < t) continue;
            kept += w;
            right += (top - after[i].begin()) == truth[i] ? w : 0;
        }
        return std::pair{total > 0 ? kept / total : 0.0, kept > 0 ? right / kept : 0.0};
    };
    f.uncertainThreshold = 0.80;
    for (int step = 30; step <= 80; ++step) {
        const auto [share, accuracy] = keptAt(step / 100.0);
        if (share > 0 && accuracy >= targetAccuracy) {
            f.uncertainThreshold = step / 100.0;
            break;
        }
    }
    std::tie(f.coverage, f.acceptedAccuracy) = keptAt(f.uncertainThreshold);
    return f;
}

std::string CalibrationFit::toJson() const
{
    return nlohmann::json{{"temperature", temperature},     {"uncertain_threshold", uncertainThreshold},
                          {"clips", clips},                 {"nll_before", nllBefore},
                          {"nll_after", nllAfter},          {"ece_before", eceBefore},
                          {"ece_after", eceAfter},          {"coverage", coverage},
                          {"accepted_accuracy", acceptedAccuracy}, {"target_accuracy", targetAccuracy}}
        .dump();
}

} // namespace emoscope
