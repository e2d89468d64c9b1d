// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <vector>

namespace emoscope {

// `resample` (Resampler.h), the resampler the model was trained with, applied to a stream block by block: the
// output equals resample() of the whole stream to float rounding, with memory bounded by the block size.
// Why it is exact: each output sample depends only on input within the kernel's half-width W, so a block resampled
// with at least W extra input on each side gives the whole-stream values for its inner part. Blocks start on
// multiples of the reduced input period M, so every block's output grid is the whole stream's grid.
// Not thread-safe: one instance per stream. Throws std::invalid_argument for rates resample() refuses.
class BlockResampler {
public:
    BlockResampler(int fromRate, int toRate);
    // Appends the output that is final once `n` more input samples are known.
    void push(const float* in, std::size_t n, std::vector<float>& out);
    // End of input: appends the rest, so the total output length is round(total input * to / from).
    void finish(std::vector<float>& out);
    int fromRate() const { return from_; }
    int toRate() const { return to_; }

private:
    void emit(std::size_t inputEnd, bool last, std::vector<float>& out);

    int from_, to_;
    long long L_ = 1, M_ = 1;     // to/from in lowest terms
    long long margin_ = 0;        // input samples kept on each side (a multiple of M, >= the kernel half-width)
    std::size_t block_ = 0;       // input samples resampled per call (a multiple of M)
    std::vector<float> in_;       // input from base_ on
    long long base_ = 0;          // stream index of in_[0] (a multiple of M)
    long long emittedIn_ = 0;     // input time up to which output was emitted (a multiple of M)
};

} // namespace emoscope
