// SPDX-License-Identifier: GPL-3.0-or-later
#include "dsp/MelFilterbank.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace emoscope {

namespace {
// Slaney (Auditory Toolbox) scale: linear below 1 kHz, logarithmic above; as librosa.hz_to_mel(htk=False).
constexpr double kFSp = 200.0 / 3.0;
constexpr double kMinLogHz = 1000.0;
constexpr double kMinLogMel = kMinLogHz / kFSp; // 15
const double kLogStep = std::log(6.4) / 27.0;
} // namespace

double MelFilterbank::hzToMel(double hz, bool slaney)
{
    if (!slaney)
        return 2595.0 * std::log10(1.0 + hz / 700.0);
    if (hz >= kMinLogHz)
        return kMinLogMel + std::log(hz / kMinLogHz) / kLogStep;
    return hz / kFSp;
}

double MelFilterbank::melToHz(double mel, bool slaney)
{
    if (!slaney)
        return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
    if (mel >= kMinLogMel)
        return kMinLogHz * std::exp(kLogStep * (mel - kMinLogMel));
    return kFSp * mel;
}

MelFilterbank::MelFilterbank(const FeatureConfig& config)
{
    config.validate();
    nBins_ = config.nBins();
    const int nMels = config.nMels;
    const bool slaney = config.slaneyMelScale;

    // librosa.filters.mel, in double like numpy, stored as float32 like librosa's default dtype.
    const double melMin = hzToMel(config.fMin, slaney);
    const double melMax = hzToMel(config.effectiveFMax(), slaney);
    std::vector<double> melF(std::size_t(nMels) + 2);
    for (int i = 0; i < nMels + 2; ++i)
        melF[std::size_t(i)] = melToHz(melMin + (melMax - melMin) * i / double(nMels + 1), slaney);
    std::vector<double> fftFreqs(static_cast<std::size_t>(nBins_));
    for (int k = 0; k < nBins_; ++k)
        fftFreqs[std::size_t(k)] = double(k) * config.sampleRate / config.nFft;

    filters_.resize(std::size_t(nMels));
    centres_.resize(std::size_t(nMels));
    for (int m = 0; m < nMels; ++m) {
        const double lowF = melF[std::size_t(m)], centreF = melF[std::size_t(m) + 1], highF = melF[std::size_t(m) + 2];
        const double fdiffLow = centreF - lowF, fdiffHigh = highF - centreF;
        const double enorm = config.slaneyNorm ? 2.0 / (highF - lowF) : 1.0;
        centres_[std::size_t(m)] = centreF;
        Filter& f = filters_[std::size_t(m)];
        int first = -1;
        std::vector<float> dense;
        for (int k = 0; k < nBins_; ++k) {
            const double lower = (fftFreqs[std::size_t(k)] - lowF) / fdiffLow;
            const double upper = (highF - fftFreqs[std::size_t(k)]) / fdiffHigh;
            const double w = std::max(0.0, std::min(lower, upper));
            const float wf = static_cast<float>(w * enorm);
            if (wf != 0.0f) {
                if (first < 0)
                    first = k;
                dense.resize(std::size_t(k - first) + 1, 0.0f);
                dense.back() = wf;
            }
        }
        // A filter narrower than a bin (many mels, small nFft) stays empty, as in librosa (which warns).
        f.firstBin = first < 0 ? 0 : first;
        f.weights = std::move(dense);
    }
}

void MelFilterbank::apply(const float* spectrum, float* out) const
{
    for (std::size_t m = 0; m < filters_.size(); ++m) {
        const Filter& f = filters_[m];
        const float* s = spectrum + f.firstBin;
        // Double accumulation: exact enough that the order of summation never matters at float precision.
        double acc = 0.0;
        for (std::size_t k = 0; k < f.weights.size(); ++k)
            acc += double(f.weights[k]) * double(s[k]);
        out[m] = static_cast<float>(acc);
    }
}

float MelFilterbank::weight(int mel, int bin) const
{
    if (mel < 0 || mel >= nMels() || bin < 0 || bin >= nBins_)
        throw std::out_of_range("MelFilterbank::weight: index out of range");
    const Filter& f = filters_[std::size_t(mel)];
    const int i = bin - f.firstBin;
    return i >= 0 && i < int(f.weights.size()) ? f.weights[std::size_t(i)] : 0.0f;
}

} // namespace emoscope
