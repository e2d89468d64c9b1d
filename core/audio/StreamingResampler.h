// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <vector>

namespace emoscope {

// Chunk-by-chunk windowed-sinc resampler for the live display (waveform and streaming log-mel), keeping the
// filter history between chunks so chunk boundaries leave no clicks. Equal rates pass through untouched
// (bit-exact). Nothing that is classified goes through it: the take and the live classification windows stay
// at the device rate and Classifier resamples them with `resample` (Resampler.h), as training did.
class StreamingResampler {
public:
    StreamingResampler(int fromRate, int toRate, int halfTaps = 16);
    // Appends the output that became available.
    void process(const float* in, std::size_t n, std::vector<float>& out);
    void reset();
    int fromRate() const { return from_; }
    int toRate() const { return to_; }

private:
    float kernel(double x) const;

    int from_;
    int to_;
    int halfTaps_;
    double step_;   // input samples per output sample
    double cutoff_; // normalised: below both Nyquist frequencies
    std::vector<float> history_;
    double position_ = 0; // next output's time, in input samples from history_[0]
};

} // namespace emoscope
