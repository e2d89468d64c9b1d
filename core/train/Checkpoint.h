// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "model/ModelCard.h"
#include <string>

namespace emoscope {

// What a training checkpoint says about itself.
struct CheckpointInfo {
    ModelCard card;     // the model being trained
    int epoch = 0;      // completed epochs
    int bestEpoch = 0;
};

// Reads and checks a checkpoint without training: the container, its JSON state, the card, and that every stored
// tensor (current and best weights, optimiser moments) has the name and shape the card's network needs. Never
// builds the network and never runs code from the file (old TorchScript checkpoints are refused, saying so).
// Throws ModelError "<path>: <reason>". Trainer's --resume runs the same checks before it copies anything.
CheckpointInfo readCheckpoint(const std::string& path);

} // namespace emoscope
