// SPDX-License-Identifier: GPL-3.0-or-later
#include "dsp/FeatureConfig.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

namespace emoscope {

long long FeatureConfig::framesFor(long long nSamples) const
{
    // No samples, no frames (librosa refuses empty input; zero columns is the useful answer here).
    if (nSamples <= 0 || hopLength <= 0 || nFft <= 0)
        return 0;
    // librosa: centre pads nFft/2 zeros on each side, then frames = 1 + (padded - nFft) / hop.
    const long long padded = center ? nSamples + 2LL * (nFft / 2) : nSamples;
    if (padded < nFft)
        return 0;
    return 1 + (padded - nFft) / hopLength;
}

void FeatureConfig::validate() const
{
    // Upper bounds too: a model file can claim anything, and n_mels 1e6 or n_fft 2^26 made the front end allocate
    // gigabytes. The bounds are far above any speech front end (librosa's defaults are 2048 / 512 / 128).
    auto fail = [](const std::string& what) { throw std::invalid_argument("FeatureConfig: " + what); };
    if (sampleRate < kMinSampleRate || sampleRate > kMaxSampleRate)
        fail("sample_rate must be in [" + std::to_string(kMinSampleRate) + ", " + std::to_string(kMaxSampleRate) +
             "] (got " + std::to_string(sampleRate) + ")");
    if (nFft < 2 || nFft > kMaxFft)
        fail("n_fft must be in [2, " + std::to_string(kMaxFft) + "] (got " + std::to_string(nFft) + ")");
    if (winLength < 1 || winLength > nFft)
        fail("win_length must be in [1, n_fft] (got " + std::to_string(winLength) + ")");
    if (hopLength < 1 || hopLength > kMaxFft)
        fail("hop_length must be in [1, " + std::to_string(kMaxFft) + "] (got " + std::to_string(hopLength) + ")");
    if (nMels < 1 || nMels > kMaxMels)
        fail("n_mels must be in [1, " + std::to_string(kMaxMels) + "] (got " + std::to_string(nMels) + ")");
    if (!std::isfinite(fMin) || fMin < 0)
        fail("fmin must be >= 0 (got " + std::to_string(fMin) + ")");
    if (!std::isfinite(fMax) || effectiveFMax() > sampleRate / 2.0 + 1e-9)
        fail("fmax must be <= sample_rate / 2 (got " + std::to_string(fMax) + ")");
    if (fMin >= effectiveFMax())
        fail("fmin must be below fmax (got " + std::to_string(fMin) + " >= " + std::to_string(effectiveFMax()) + ")");
    if (!std::isfinite(power) || power <= 0 || power > 4)
        fail("power must be in (0, 4] (got " + std::to_string(power) + ")");
    if (!std::isfinite(topDb) || topDb > 1000)
        fail("top_db must be finite and at most 1000");
    if (!std::isfinite(amin) || amin <= 0 || amin > 1)
        fail("amin must be in (0, 1] (got " + std::to_string(amin) + ")");
}

std::string FeatureConfig::toJson() const
{
    // Key names follow librosa's parameter names so a model file reads like the Python call.
    nlohmann::json j{{"sample_rate", sampleRate}, {"n_fft", nFft},   {"win_length", winLength},
                     {"hop_length", hopLength},   {"n_mels", nMels}, {"fmin", fMin},
                     {"fmax", fMax},              {"center", center}, {"power", power},
                     {"mel_scale", slaneyMelScale ? "slaney" : "htk"},
                     {"norm", slaneyNorm ? "slaney" : "none"},
                     {"top_db", topDb},           {"amin", amin}};
    return j.dump();
}

FeatureConfig FeatureConfig::fromJson(const std::string& text)
{
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw std::invalid_argument(std::string("FeatureConfig: not valid JSON: ") + e.what());
    }
    if (!j.is_object())
        throw std::invalid_argument("FeatureConfig: JSON must be an object");

    FeatureConfig c;
    auto readInt = [&](const char* key, int& out) {
        if (!j.contains(key))
            return;
        const auto& v = j.at(key);
        if (!v.is_number_integer())
            throw std::invalid_argument(std::string("FeatureConfig: ") + key + " must be an integer");
        // Range-checked before narrowing: 1e12 must not wrap into a plausible int.
        const long long wide = v.is_number_unsigned() && v.get<unsigned long long>() > 1ull << 40 ? 1ll << 40
                                                                                                : v.get<long long>();
        if (wide < -(1ll << 30) || wide > (1ll << 30))
            throw std::invalid_argument(std::string("FeatureConfig: ") + key + " out of range");
        out = int(wide);
    };
    auto readDouble = [&](const char* key, double& out) {
        if (!j.contains(key))
            return;
        const auto& v = j.at(key);
        if (!v.is_number())
            throw std::invalid_argument(std::string("FeatureConfig: ") + key + " must be a number");
        out = v.get<double>();
    };
    auto readChoice = [&](const char* key, const char* yes, const char* no, bool& out) {
        if (!j.contains(key))
            return;
        const auto& v = j.at(key);
        if (v.is_null() && std::string(no) == "none") {
            out = false;
            return;
        }
        if (!v.is_string() || (v.get<std::string>() != yes && v.get<std::string>() != no))
            throw std::invalid_argument(std::string("FeatureConfig: ") + key + " must be \"" + yes + "\" or \"" + no +
                                        "\"");
        out = v.get<std::string>() == yes;
    };
    readInt("sample_rate", c.sampleRate);
    readInt("n_fft", c.nFft);
    readInt("win_length", c.winLength);
    readInt("hop_length", c.hopLength);
    readInt("n_mels", c.nMels);
    readDouble("fmin", c.fMin);
    readDouble("fmax", c.fMax);
    if (j.contains("center")) {
        if (!j.at("center").is_boolean())
            throw std::invalid_argument("FeatureConfig: center must be true or false");
        c.center = j.at("center").get<bool>();
    }
    readDouble("power", c.power);
    readChoice("mel_scale", "slaney", "htk", c.slaneyMelScale);
    readChoice("norm", "slaney", "none", c.slaneyNorm);
    readDouble("top_db", c.topDb);
    readDouble("amin", c.amin);
    c.validate();
    return c;
}

} // namespace emoscope
