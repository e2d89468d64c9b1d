// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>
#include <vector>

namespace emoscope {

// Mono float samples in [-1, 1] at a known rate.
struct AudioBuffer {
    std::vector<float> samples;
    int sampleRate = 0;
    double durationSeconds() const { return sampleRate > 0 ? double(samples.size()) / sampleRate : 0.0; }
};

// What a file holds, before any conversion.
struct AudioInfo {
    std::string path;
    std::string format;   // container, e.g. "WAV", "FLAC", "OGG", "MPEG"
    std::string encoding; // e.g. "PCM_16", "FLOAT", "VORBIS"
    int sampleRate = 0;
    int channels = 0;
    long long frames = 0;
    double durationSeconds() const { return sampleRate > 0 ? double(frames) / sampleRate : 0.0; }
};

} // namespace emoscope
