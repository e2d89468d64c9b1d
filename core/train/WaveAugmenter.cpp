// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/WaveAugmenter.h"
#include "audio/Degradation.h"
#include <algorithm>

namespace emoscope {

WaveAugmenter::WaveAugmenter(WaveAugmentations settings, int sampleRate, std::size_t cropSamples)
    : settings_(settings), sampleRate_(sampleRate), cropSamples_(cropSamples)
{
}

std::vector<float> WaveAugmenter::make(const std::vector<float>& clip,
                                       const std::vector<const std::vector<float>*>& babble, std::mt19937_64& rng) const
{
    using U = std::uniform_real_distribution<double>;
    const auto chance = [&](double p) { return U(0.0, 1.0)(rng) < p; };
    // A random crop; shorter clips are kept whole (the mel augmenter places them in the crop).
    std::vector<float> x;
    if (clip.size() > cropSamples_) {
        const std::size_t offset = std::uniform_int_distribution<std::size_t>(0, clip.size() - cropSamples_)(rng);
        x.assign(clip.begin() + std::ptrdiff_t(offset), clip.begin() + std::ptrdiff_t(offset + cropSamples_));
    } else {
        x = clip;
    }
    // Room first (the talker is in the room), then the microphone and the line, then noise at the receiver.
    if (chance(settings_.reverbProbability)) {
        const auto h = roomImpulse(sampleRate_, U(0.2, 1.0)(rng), U(-3.0, 12.0)(rng), rng);
        x = convolve(x, h);
    }
    if (chance(settings_.microphoneProbability)) x = microphoneColouring(x, sampleRate_, rng);
    if (chance(settings_.bandProbability)) {
        if (chance(0.5)) x = telephoneBand(x, sampleRate_);
        else x = bandLimit(x, sampleRate_, U(50.0, 400.0)(rng), std::min(U(2500.0, 8000.0)(rng), 0.49 * sampleRate_));
    }
    if (chance(settings_.noiseProbability)) {
        const int kind = std::uniform_int_distribution<int>(0, 2)(rng);
        std::vector<float> noise;
        if (kind == 2 && !babble.empty()) noise = babbleNoise(babble, x.size(), rng);
        else if (kind == 0) noise = whiteNoise(x.size(), rng);
        else noise = pinkNoise(x.size(), rng);
        mixAtSnr(x, noise, U(settings_.snrMinDb, settings_.snrMaxDb)(rng));
    }
    return x;
}

} // namespace emoscope
