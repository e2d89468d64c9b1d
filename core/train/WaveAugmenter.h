// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "train/Trainer.h"
#include <random>
#include <vector>

namespace emoscope {

// Makes one training crop of a clip's waveform and degrades it as a user's recording might be (noise, room,
// band limit, microphone), with the probabilities of WaveAugmentations. Randomness comes only from the caller's
// generator, so a seed fixes the crop. Thread-safe (no state besides the settings).
class WaveAugmenter {
public:
    WaveAugmenter(WaveAugmentations settings, int sampleRate, std::size_t cropSamples);
    // babble: other clips' audio to mix as background talkers (may be empty: babble then falls back to pink noise).
    std::vector<float> make(const std::vector<float>& clip, const std::vector<const std::vector<float>*>& babble,
                            std::mt19937_64& rng) const;

private:
    WaveAugmentations settings_;
    int sampleRate_;
    std::size_t cropSamples_;
};

} // namespace emoscope
