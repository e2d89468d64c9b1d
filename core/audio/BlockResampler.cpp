// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/BlockResampler.h"

#include "audio/Resampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace emoscope {

BlockResampler::BlockResampler(int fromRate, int toRate) : from_(fromRate), to_(toRate)
{
    if (fromRate <= 0 || toRate <= 0)
        throw std::invalid_argument("resample: sample rates must be positive (got " + std::to_string(fromRate) +
                                    " -> " + std::to_string(toRate) + ")");
    const long long g = std::gcd(fromRate, toRate);
    L_ = toRate / g;
    M_ = fromRate / g;
    // The FFT resampler's Kaiser kernel (140 dB, transition 6 % of the lower Nyquist) is about 154 / min(1, L/M)
    // input samples wide on each side; twice that is a safe margin whatever the design's rounding.
    const double halfWidth = 154.0 * std::max(1.0, double(M_) / double(L_));
    const long long want = 2 * (long long)std::ceil(halfWidth) + 64;
    margin_ = M_ * ((want + M_ - 1) / M_);
    const long long wantBlock = std::max<long long>(1 << 17, 8 * margin_);
    block_ = std::size_t(M_ * ((wantBlock + M_ - 1) / M_));
}

void BlockResampler::push(const float* in, std::size_t n, std::vector<float>& out)
{
    if (from_ == to_) {
        out.insert(out.end(), in, in + n);
        return;
    }
    in_.insert(in_.end(), in, in + n);
    // Emit whole blocks while the right margin is available.
    for (;;) {
        const long long known = base_ + (long long)in_.size();
        const long long end = emittedIn_ + (long long)block_;
        if (end + margin_ > known)
            break;
        emit(std::size_t(end), false, out);
    }
}

void BlockResampler::finish(std::vector<float>& out)
{
    if (from_ == to_)
        return;
    emit(std::size_t(base_ + (long long)in_.size()), true, out);
    in_.clear();
}

void BlockResampler::emit(std::size_t inputEnd, bool last, std::vector<float>& out)
{
    const long long end = (long long)inputEnd;
    // Resample [base_, end + margin) (or everything at the end) and keep the outputs of [emittedIn_, end).
    const std::size_t count = last ? in_.size() : std::size_t(std::min<long long>(end + margin_ - base_, (long long)in_.size()));
    if (count > 0) {
        const std::vector<float> y = resample(in_.data(), count, from_, to_);
        const long long first = (emittedIn_ - base_) / M_ * L_; // base_ and emittedIn_ are multiples of M
        const long long stop = last ? (long long)y.size() : (end - base_) / M_ * L_;
        if (stop > first)
            out.insert(out.end(), y.begin() + first, y.begin() + std::min<long long>(stop, (long long)y.size()));
    }
    if (last)
        return;
    emittedIn_ = end;
    // Keep a left margin for the next block's first outputs.
    const long long newBase = std::max(base_, end - margin_);
    in_.erase(in_.begin(), in_.begin() + (newBase - base_));
    base_ = newBase;
}

} // namespace emoscope
