// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/FeatureConfig.h"
#include <vector>

namespace emoscope {

// librosa.filters.mel equivalent: nMels triangular filters over nFft/2+1 bins (Slaney or HTK scale,
// optional Slaney area normalisation). Stored sparsely (each filter's first bin and weights). Immutable.
class MelFilterbank {
public:
    explicit MelFilterbank(const FeatureConfig& config);
    int nMels() const { return int(filters_.size()); }
    int nBins() const { return nBins_; }
    // out[m] = sum_k weight[m][k] * spectrum[k]; spectrum has nBins() values, out has nMels().
    void apply(const float* spectrum, float* out) const;
    // Dense weight, for tests and plots.
    float weight(int mel, int bin) const;
    // Centre frequency of each filter in Hz (for axis labels).
    const std::vector<double>& centreFrequencies() const { return centres_; }

    static double hzToMel(double hz, bool slaney);
    static double melToHz(double mel, bool slaney);

private:
    struct Filter { int firstBin = 0; std::vector<float> weights; };
    std::vector<Filter> filters_;
    std::vector<double> centres_;
    int nBins_ = 0;
};

} // namespace emoscope
