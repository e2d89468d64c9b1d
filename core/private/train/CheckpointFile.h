// SPDX-License-Identifier: GPL-3.0-or-later
// PRIVATE header (includes torch): for core .cpp files only.
#pragma once
#include "net/ResNet.h"
#include "model/TensorContainer.h"
#include "train/Checkpoint.h"
#include <string>
#include <vector>

namespace emoscope {

// What a training checkpoint holds besides tensors.
struct CheckpointState {
    std::string cardJson;
    int epoch = 0; // completed epochs
    int bestEpoch = 0;
    double bestUar = -1;
    double bestValLoss = 1e300;
    std::string historyJson;
    std::string fingerprint;
    std::vector<long long> adamSteps; // per optimiser parameter, -1 = no state yet
    std::vector<double> learningRates; // per parameter group
    long long averageUpdates = -1;     // updates of the weight average stored ("average/..."); -1 = none stored
};

// A training checkpoint in the project's own container (kCheckpointContainer): plain JSON and raw tensors
// (current weights, best weights, AdamW moments, the weight average when there is one), never a TorchScript archive, so loading one cannot run code.
// Old TorchScript checkpoints are refused with a message saying so. Every error is a ModelError "<path>: <reason>".
class CheckpointFile {
public:
    // Reads the container and the JSON state (size, nesting and every field checked); no tensor is touched yet.
    static CheckpointFile read(const std::string& path);

    // Atomic write of the state and the tensors of net, best, the optimiser and (when not null) the weight average;
    // state.averageUpdates must then be >= 0.
    static void write(const std::string& path, const CheckpointState& state, const ResNet& net, const ResNet& best,
                      torch::optim::AdamW& optimizer, const ResNet* average = nullptr);

    const CheckpointState& state() const { return state_; }

    // The card parsed and every stored tensor checked against the card's network (no torch allocation).
    CheckpointInfo inspect() const;

    // Checks every stored tensor against net, best and the optimiser (names, shapes, types, finite values), and only
    // then copies them in. Throws ModelError without changing anything when a check fails. The stored weight average
    // goes into *average when both exist; returns whether it did (false: the caller starts the average over).
    bool restore(ResNet& net, ResNet& best, torch::optim::AdamW& optimizer, ResNet* average = nullptr) const;

private:
    std::string path_;
    ContainerFile file_;
    CheckpointState state_;
};

} // namespace emoscope
