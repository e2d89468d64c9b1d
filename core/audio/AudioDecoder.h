// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include <string>

namespace emoscope {

struct DecodeOptions {
    int targetSampleRate = 22050;  // 0 keeps the file's own rate
    double maxSeconds = 600.0;     // longer files throw AudioError(TooLong); <= 0 disables the limit
};

// Reads a file's header (libsndfile). Throws AudioError.
AudioInfo probeAudio(const std::string& path);

// Decodes anything libsndfile reads (WAV 8/16/24/32-bit and float, FLAC, OGG, MP3 where supported),
// downmixes by averaging channels and resamples (`resample`, Resampler.h) to targetSampleRate.
// Throws AudioError naming the file and the reason. Thread-safe (no shared state).
AudioBuffer loadAudio(const std::string& path, const DecodeOptions& options = {});

} // namespace emoscope
