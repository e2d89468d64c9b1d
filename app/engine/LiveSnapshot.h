// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/MelMatrix.h"

#include <vector>

// What the Record tab draws in one frame: the last few seconds of audio and mel columns, oldest first.
struct LiveSnapshot {
    std::vector<float> waveform;      // at sampleRate; zeros before the take began
    int sampleRate = 0;
    emoscope::MelMatrix db;           // dB re power 1.0 (absolute, so columns never change once drawn)
    double ceilDb = 0;                // running maximum, the top of the colour scale
    std::vector<double> melCentresHz;
    double hopSeconds = 0;
    double endSeconds = 0;            // take time at the right edge
};
