// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <vector>

namespace emoscope {

// Internal to core/audio (resample() is the public entry). Band-limited resampling of mono float audio by blocked FFT
// filtering (overlap-save) evaluated directly on the new grid. The filter is a Kaiser-windowed sinc (stopband >= 140 dB,
// flat to 93.5 % of the lower Nyquist, -6 dB at 96.5 %), matching libsamplerate SINC_BEST's measured response. Output length is round(n * toRate / fromRate);
// output sample j is the filtered signal at input time j * fromRate / toRate (no delay); outside the signal is zero.
// Thread-safe (FFT plans and filters are cached process-wide, created under a mutex).
// Throws std::invalid_argument for ratios outside [1/256, 256] or whose reduced form needs blocks over 2^26 samples.
std::vector<float> resampleFft(const float* samples, std::size_t n, int fromRate, int toRate);

// The designs are cached per rate pair, at most this many (least recently used dropped first).
inline constexpr std::size_t kResamplerDesignCapacity = 8;
// Designs cached now, for tests.
std::size_t resamplerDesignCacheSize();

} // namespace emoscope
