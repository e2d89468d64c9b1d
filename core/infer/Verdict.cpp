// SPDX-License-Identifier: GPL-3.0-or-later
#include "infer/Verdict.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace emoscope {

const char* toString(VerdictStatus status)
{
    switch (status) {
    case VerdictStatus::Ok: return "ok";
    case VerdictStatus::Uncertain: return "uncertain";
    case VerdictStatus::NoSpeech: return "no_speech";
    }
    return "unknown";
}

VerdictStatus verdictFor(const std::vector<float>& probabilities, double speechSeconds, double speechFraction,
                         const Calibration& calibration)
{
    // Checked first: probabilities of audio without speech mean nothing, however confident.
    if (speechSeconds < calibration.minSpeechSeconds || speechFraction < calibration.minSpeechFraction)
        return VerdictStatus::NoSpeech;
    if (probabilities.empty()) return VerdictStatus::Uncertain;
    const float top = *std::max_element(probabilities.begin(), probabilities.end());
    if (double(top) < calibration.uncertainThreshold) return VerdictStatus::Uncertain;
    return VerdictStatus::Ok;
}

int namedEmotion(VerdictStatus status, const std::vector<float>& probabilities)
{
    if (status == VerdictStatus::NoSpeech) return -1;
    const std::vector<int> top = topIndices(probabilities, 1);
    return top.empty() ? -1 : top.front();
}

std::vector<int> topIndices(const std::vector<float>& probabilities, int n)
{
    std::vector<int> order(probabilities.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return probabilities[std::size_t(a)] > probabilities[std::size_t(b)]; });
    order.resize(std::min(order.size(), std::size_t(std::max(0, n))));
    return order;
}

std::string describeVerdict(VerdictStatus status, const std::vector<float>& probabilities,
                            const std::vector<std::string>& labels)
{
    if (status == VerdictStatus::NoSpeech) return "no speech detected";
    const auto percent = [&](int i) {
        const std::string name = std::size_t(i) < labels.size() ? labels[std::size_t(i)] : std::to_string(i);
        return name + " " + std::to_string(int(std::lround(probabilities[std::size_t(i)] * 100.0))) + "%";
    };
    const std::vector<int> top = topIndices(probabilities, status == VerdictStatus::Uncertain ? 2 : 1);
    if (top.empty()) return status == VerdictStatus::Uncertain ? "uncertain" : "";
    if (status == VerdictStatus::Ok) return percent(top[0]);
    std::string text = "uncertain \u2014 " + percent(top[0]);
    if (top.size() > 1) text += " \u00b7 " + percent(top[1]);
    return text;
}

} // namespace emoscope
