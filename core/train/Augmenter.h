// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/MelMatrix.h"
#include "model/ModelCard.h"
#include "train/Trainer.h"
#include <random>

namespace emoscope {

// Turns one cached dB log-mel into one training input of trainCropFrames frames (normalised), applying the
// switched-on augmentations. All randomness comes from the caller's generator, so a seed fixes every batch.
class Augmenter {
public:
    Augmenter(Augmentations augment, InputPolicy input, Normalisation norm, double topDb);
    MelMatrix make(const MelMatrix& logMelDb, std::mt19937_64& rng) const;

private:
    Augmentations augment_;
    InputPolicy input_;
    Normalisation norm_;
    double topDb_;
};

} // namespace emoscope
