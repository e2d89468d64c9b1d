// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/MelMatrix.h"
#include "model/ModelCard.h"

namespace emoscope {

// The network input steps shared by inference and training, so both see identical numbers.

// The smallest value of a dB log-mel (its top_db floor); 0 for an empty matrix.
float dbFloor(const MelMatrix& m);

// Pads on the right with the dB floor up to `frames` (no-op when already that long).
MelMatrix padFrames(const MelMatrix& m, int frames);

// In place: optional per-band mean removal, then (x - mean) / std.
void normaliseInPlace(MelMatrix& m, const Normalisation& norm);

} // namespace emoscope
