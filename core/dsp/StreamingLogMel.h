// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/FeatureConfig.h"
#include "dsp/MelMatrix.h"
#include <cstddef>
#include <memory>

namespace emoscope {

// Streaming mel power spectrogram: push samples in chunks of any size and receive, in order, exactly the
// columns LogMelExtractor::melPower would give for the concatenated signal (centre padding included:
// finish() flushes the right-padded tail). Values are power (not dB): dB needs a reference, which the caller
// chooses (whole take: the max; live view: a fixed or running reference).
// Thread-safety: one instance per stream; not safe to share between threads without external locking.
class StreamingLogMel {
public:
    explicit StreamingLogMel(const FeatureConfig& config);
    ~StreamingLogMel();

    // Returns the columns that became complete with these samples (possibly none): [nMels][k].
    MelMatrix push(const float* samples, std::size_t n);
    // Ends the stream: returns the remaining columns. After finish(), reset() before pushing again.
    MelMatrix finish();
    void reset();
    // Samples and columns so far.
    long long samplesPushed() const;
    long long framesEmitted() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace emoscope
