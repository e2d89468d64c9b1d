// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/Calibration.h"
#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace emoscope {

std::vector<float> softmaxWithTemperature(const std::vector<float>& logits, double temperature)
{
    std::vector<float> p(logits.size());
    if (logits.empty()) return p;
    const double top = *std::max_element(logits.begin(), logits.end()) / temperature;
    double sum = 0;
    for (std::size_t i = 0; i < logits.size(); ++i) sum += std::exp(logits[i] / temperature - top);
    for (std::size_t i = 0; i < logits.size(); ++i) p[i] = float(std::exp(logits[i] / temperature - top) / sum);
    return p;
}

double negativeLogLikelihood(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth,
                             double temperature)
{
    if (logits.size() != truth.size()) throw std::invalid_argument("logits and labels differ in count");
    double nll = 0;
    for (std::size_t i = 0; i < logits.size(); ++i) {
        const auto& l = logits[i];
        const double top = *std::max_element(l.begin(), l.end()) / temperature;
        double sum = 0;
        for (float v : l) sum += std::exp(v / temperature - top);
        nll -= l[std::size_t(truth[i])] / temperature - top - std::log(sum);
    }
    return logits.empty() ? 0.0 : nll / double(logits.size());
}

double expectedCalibrationError(const std::vector<std::vector<float>>& probabilities, const std::vector<int>& truth,
                                int bins)
{
    if (probabilities.size() != truth.size()) throw std::invalid_argument("probabilities and labels differ in count");
    std::vector<double> conf(std::size_t(bins), 0), right(std::size_t(bins), 0), count(std::size_t(bins), 0);
    for (std::size_t i = 0; i < probabilities.size(); ++i) {
        const auto& p = probabilities[i];
        const auto top = std::max_element(p.begin(), p.end());
        const int b = std::min(bins - 1, int(*top * bins));
        conf[std::size_t(b)] += *top;
        right[std::size_t(b)] += (top - p.begin()) == truth[i] ? 1 : 0;
        count[std::size_t(b)] += 1;
    }
    double ece = 0;
    for (int b = 0; b < bins; ++b)
        if (count[std::size_t(b)] > 0)
            ece += std::abs(right[std::size_t(b)] - conf[std::size_t(b)]) / double(probabilities.size());
    return ece;
}

CalibrationFit fitCalibration(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth,
                              double targetAccuracy)
{
    CalibrationFit f;
    f.clips = int(logits.size());
    f.targetAccuracy = targetAccuracy;
    if (logits.empty()) return f;
    // NLL is convex in 1/T: golden-section search on log T over [1/20, 20].
    const auto nll = [&](double logT) { return negativeLogLikelihood(logits, truth, std::exp(logT)); };
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
    f.nllBefore = negativeLogLikelihood(logits, truth, 1.0);
    f.nllAfter = negativeLogLikelihood(logits, truth, f.temperature);
    std::vector<std::vector<float>> before, after;
    for (const auto& l : logits) {
        before.push_back(softmaxWithTemperature(l, 1.0));
        after.push_back(softmaxWithTemperature(l, f.temperature));
    }
    f.eceBefore = expectedCalibrationError(before, truth);
    f.eceAfter = expectedCalibrationError(after, truth);
    f.uncertainThreshold = 0.80;
    for (int step = 30; step <= 80; ++step) {
        const double t = step / 100.0;
        int kept = 0, right = 0;
        for (std::size_t i = 0; i < after.size(); ++i) {
            const auto top = std::max_element(after[i].begin(), after[i].end());
            if (*top < t) continue;
            ++kept;
            right += (top - after[i].begin()) == truth[i] ? 1 : 0;
        }
        if (kept > 0 && double(right) / kept >= targetAccuracy) {
            f.uncertainThreshold = t;
            break;
        }
    }
    int kept = 0, right = 0;
    for (std::size_t i = 0; i < after.size(); ++i) {
        const auto top = std::max_element(after[i].begin(), after[i].end());
        if (*top < f.uncertainThreshold) continue;
        ++kept;
        right += (top - after[i].begin()) == truth[i] ? 1 : 0;
    }
    f.coverage = double(kept) / double(after.size());
    f.acceptedAccuracy = kept ? double(right) / kept : 0.0;
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
