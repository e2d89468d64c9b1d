// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>

namespace emoscope {

// Every parameter of the log-mel front end, defaulting to librosa's defaults.
// Training writes it into the model file; inference reads it back from there: nothing else hard-codes these.
struct FeatureConfig {
    // Plausibility bounds that validate() enforces (model files are untrusted input).
    static constexpr int kMinSampleRate = 1000;
    static constexpr int kMaxSampleRate = 192000;
    static constexpr int kMaxFft = 16384;
    static constexpr int kMaxMels = 512;

    int sampleRate = 22050;
    int nFft = 2048;
    int winLength = 2048;     // periodic Hann, zero-padded to nFft when shorter
    int hopLength = 512;
    int nMels = 128;
    double fMin = 0.0;
    double fMax = 0.0;        // <= 0 means sampleRate / 2
    bool center = true;       // frames centred, signal zero-padded by nFft/2 on both sides
    double power = 2.0;       // 2 = power spectrogram, 1 = magnitude
    bool slaneyMelScale = true; // false = HTK
    bool slaneyNorm = true;     // area-normalised triangles (librosa norm='slaney')
    double topDb = 80.0;        // dB floor below the clip's maximum; <= 0 disables
    double amin = 1e-10;        // power floor before log10

    double effectiveFMax() const { return fMax > 0 ? fMax : sampleRate / 2.0; }
    int nBins() const { return nFft / 2 + 1; }
    // Frames the offline transform produces for n samples.
    long long framesFor(long long nSamples) const;

    // Throws std::invalid_argument naming the bad field.
    void validate() const;

    // JSON object text with every field (used inside model files and by the CLI).
    std::string toJson() const;
    // Parses what toJson wrote; missing fields keep defaults; throws std::invalid_argument on bad values.
    static FeatureConfig fromJson(const std::string& json);

    bool operator==(const FeatureConfig&) const = default;
};

} // namespace emoscope
