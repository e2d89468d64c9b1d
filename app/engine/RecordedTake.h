// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include "dsp/FeatureConfig.h"
#include "dsp/MelMatrix.h"

#include <cstdint>

// One finished recording.
struct RecordedTake {
    emoscope::AudioBuffer audio;     // mono float at the capture device's rate (what Save writes)
    emoscope::FeatureConfig features;
    emoscope::MelMatrix melPower;    // streaming mel power of the whole take at features.sampleRate
    std::uint64_t droppedSamples = 0; // lost because analysis fell more than the ring's length behind
};
