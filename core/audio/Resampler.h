// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <vector>

namespace emoscope {

// Band-limited resampling of mono float audio with libsamplerate (SRC_SINC_BEST_QUALITY).
// Output length is round(n * toRate / fromRate). Returns a copy when the rates are equal. Thread-safe.
std::vector<float> resample(const float* samples, std::size_t n, int fromRate, int toRate);

} // namespace emoscope
