// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <string>

namespace emoscope {

// Writes mono float samples as a WAV file (16-bit PCM unless floatFormat) atomically:
// to a temporary file in the same folder, flushed, then renamed over path. Throws AudioError(WriteFailed).
void writeWavAtomic(const std::string& path, const float* samples, std::size_t n, int sampleRate,
                    bool floatFormat = false);

} // namespace emoscope
