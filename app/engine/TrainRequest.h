// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "train/Dataset.h"
#include "train/TrainOptions.h"

#include <QString>
#include <optional>

// What the Train tab's form asks for, as the user set it. The engine turns it into TrainOptions
// (TrainingController::optionsFor), so the widgets never assemble options or provenance themselves.
struct TrainRequest {
    int epochs = 20;
    int batchSize = 32;
    double learningRate = 3e-3;
    emoscope::Augmentations augment; // the four the form shows: SpecAugment, time shift, gain, noise
    bool balancedSampling = false;
    // The one "from scratch" rule (TrainOptions::fromModel): no model = scratch; a path (maybe empty, when the user
    // picked "model file" but chose none) = fine-tune it.
    std::optional<QString> startModel;
};
