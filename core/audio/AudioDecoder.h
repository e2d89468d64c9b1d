// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include <string>

namespace emoscope {

struct DecodeOptions {
    int targetSampleRate = 22050; // 0 keeps the file's own rate
    double maxSeconds = 600.0;    // longer files throw AudioError(TooLong); 0 disables the limit; must be finite, >= 0
    double minSeconds = 0.0;      // shorter files throw AudioError(TooShort) ("too short to analyze")
};

// Reads a file's header (libsndfile). Throws AudioError. When the header's frame count is not credible (a truncated
// OGG reports INT64_MAX), the file is decoded once, in bounded memory, to count what is really there.
AudioInfo probeAudio(const std::string& path);

// Decodes anything libsndfile reads (WAV 8/16/24/32-bit and float, FLAC, OGG, MP3 where supported),
// downmixes by averaging channels and resamples (`resample`, Resampler.h) to targetSampleRate.
// The whole file is held in memory: for hours of audio use AudioStreamReader.
// Throws AudioError naming the file and the reason (also for NaN/Inf or absurd sample values), and
// std::invalid_argument for options out of range. Thread-safe (no shared state).
AudioBuffer loadAudio(const std::string& path, const DecodeOptions& options = {});

} // namespace emoscope
