// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/Calibration.h"
#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>
#include <limits>
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

// The temperature minimising nll(log T), a convex function of 1/T: golden-section search on log T over [1/20, 20].
template <class Nll>
double fitTemperature(Nll nll)
{
    double a = std::log(0.05), b = std::log(20.0);
    const double g = (std::sqrt(5.0) - 1) / 2;
    double c = b - g * (b - a), d = a + g * (b - a);
    for (int it = 0; it < 80; ++it) {
        if (nll(c) < nll(d)) b = d;
        else a = c;
        c = b - g * (b - a);
        d = a + g * (b - a);
    }
    return std::exp((a + b) / 2);
}

// The per-label bias minimising the NLL of softmax(logits / T + bias) at a fixed T: diagonal Newton steps on a
// convex function, the bias kept centred (softmax ignores a common shift); absent labels stay at 0.
std::vector<double> fitBias(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth, double T,
                            std::vector<double> bias, const std::vector<double>& w, const std::vector<bool>& present)
{
    const std::size_t k = bias.size();
    std::vector<double> grad(k), curvature(k);
    for (int it = 0; it < 200; ++it) {
        std::fill(grad.begin(), grad.end(), 0.0);
        std::fill(curvature.begin(), curvature.end(), 1e-9);
        for (std::size_t i = 0; i < logits.size(); ++i) {
            const std::vector<float> p = calibratedSoftmax(logits[i], T, bias);
            for (std::size_t c = 0; c < k; ++c) {
                grad[c] += w[i] * (p[c] - (int(c) == truth[i] ? 1.0 : 0.0));
                curvature[c] += w[i] * p[c] * (1.0 - p[c]);
            }
        }
        double largest = 0, mean = 0, n = 0;
        for (std::size_t c = 0; c < k; ++c) {
            if (!present[c]) continue;
            bias[c] = std::clamp(bias[c] - std::clamp(0.8 * grad[c] / curvature[c], -1.0, 1.0), -5.0, 5.0);
            largest = std::max(largest, std::abs(grad[c]));
            mean += bias[c];
            n += 1;
        }
        for (std::size_t c = 0; c < k; ++c)
            if (present[c]) bias[c] -= mean / n;
        if (largest < 1e-7) break;
    }
    return bias;
}

} // namespace

double negativeLogLikelihood(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth,
                             double temperature, const std::vector<double>& weights,
                             const std::vector<double>& classBias)
{
    if (logits.size() != truth.size()) throw std::invalid_argument("logits and labels differ in count");
    checkWeights(weights, logits.size());
    double nll = 0, total = 0;
    for (std::size_t i = 0; i < logits.size(); ++i) {
        const std::vector<double> z = calibratedLogits(logits[i], temperature, classBias);
        const double top = *std::max_element(z.begin(), z.end());
        double sum = 0;
        for (double v : z) sum += std::exp(v - top);
        const double w = weightOf(weights, i);
        nll -= w * (z[std::size_t(truth[i])] - top - std::log(sum));
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

double worstGroupEceTemperature(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth,
                                const std::vector<std::string>& groupOfClip, int bins)
{
    if (groupOfClip.size() != logits.size() || truth.size() != logits.size())
        throw std::invalid_argument("worstGroupEceTemperature: one truth and one group per clip");
    std::map<std::string, std::vector<std::size_t>> clipsOf;
    for (std::size_t i = 0; i < groupOfClip.size(); ++i) clipsOf[groupOfClip[i]].push_back(i);
    const auto worstAt = [&](double T) {
        double worst = 0;
        for (const auto& [group, idx] : clipsOf) {
            std::vector<std::vector<float>> p;
            std::vector<int> t;
            for (std::size_t i : idx) {
                p.push_back(softmaxWithTemperature(logits[i], T));
                t.push_back(truth[i]);
            }
            worst = std::max(worst, expectedCalibrationError(p, t, bins));
        }
        return worst;
    };
    double best = 1.0, bestWorst = std::numeric_limits<double>::infinity();
    for (int step = 0; std::log(0.2) + 0.02 * step <= std::log(10.0) + 1e-12; ++step) {
        const double T = std::exp(std::log(0.2) + 0.02 * step);
        const double w = worstAt(T);
        if (w < bestWorst) {
            bestWorst = w;
            best = T;
        }
    }
    return best;
}

CalibrationFit fitCalibration(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth,
                              double targetAccuracy, const std::vector<double>& weights, bool fitClassBias,
                              const std::vector<std::string>& worstGroupOf)
{
    checkWeights(weights, logits.size());
    if (!worstGroupOf.empty() && fitClassBias)
        throw std::invalid_argument("fitCalibration: the worst-group temperature is fitted without a class bias");
    CalibrationFit f;
    f.clips = int(logits.size());
    f.targetAccuracy = targetAccuracy;
    if (logits.empty()) return f;
    f.temperature = !worstGroupOf.empty()
                        ? worstGroupEceTemperature(logits, truth, worstGroupOf)
                        : fitTemperature([&](double logT) { return negativeLogLikelihood(logits, truth, std::exp(logT), weights); });
    if (fitClassBias) {
        // Every label present weighs the same in this fit (the corpus weights kept within each label), so the bias
        // corrects towards equal priors, not towards the validation clips' label shares. The temperature and the
        // bias are fitted in turn: a skewed prior also makes the temperature alone look over-confident.
        const std::size_t k = logits.front().size();
        std::vector<double> perLabel(k, 0);
        for (std::size_t i = 0; i < logits.size(); ++i) perLabel[std::size_t(truth[i])] += weightOf(weights, i);
        std::vector<bool> present(k);
        double labels = 0;
        for (std::size_t c = 0; c < k; ++c) labels += (present[c] = perLabel[c] > 0) ? 1 : 0;
        std::vector<double> w(logits.size());
        for (std::size_t i = 0; i < logits.size(); ++i)
            w[i] = weightOf(weights, i) / (perLabel[std::size_t(truth[i])] * labels);
        std::vector<double> bias(k, 0.0);
        double T = f.temperature;
        for (int round = 0; round < 4; ++round) {
            bias = fitBias(logits, truth, T, bias, w, present);
            T = fitTemperature([&](double logT) { return negativeLogLikelihood(logits, truth, std::exp(logT), w, bias); });
        }
        bias = fitBias(logits, truth, T, bias, w, present);
        f.temperature = T;
        f.classBias = bias;
    }
    std::vector<std::vector<float>> before, after;
    for (const auto& l : logits) {
        before.push_back(softmaxWithTemperature(l, 1.0));
        after.push_back(calibratedSoftmax(l, f.temperature, f.classBias));
    }
    f.nllBefore = negativeLogLikelihood(logits, truth, 1.0, weights);
    f.nllAfter = negativeLogLikelihood(logits, truth, f.temperature, weights, f.classBias);
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
    nlohmann::json j{{"temperature", temperature},     {"uncertain_threshold", uncertainThreshold},
                     {"clips", clips},                 {"nll_before", nllBefore},
                     {"nll_after", nllAfter},          {"ece_before", eceBefore},
                     {"ece_after", eceAfter},          {"coverage", coverage},
                     {"accepted_accuracy", acceptedAccuracy}, {"target_accuracy", targetAccuracy}};
    if (!classBias.empty()) j["class_bias"] = classBias;
    return j.dump();
}

} // namespace emoscope
