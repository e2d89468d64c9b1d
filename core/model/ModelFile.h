// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "model/ModelCard.h"
#include "model/NativeResNet.h"
#include "model/TensorContainer.h"
#include <memory>
#include <string>

namespace emoscope {

// Reads the card of a model file without loading its weights or building the network. Validates the container
// (file type, size, checksum), format version, the card's plausibility limits, and that the stored tensors' count,
// names, shapes and types are what the card's architecture needs. Throws ModelError naming the file and the reason.
ModelCard readModelCard(const std::string& path);

// Core-internal: the checked contents of a model file (everything readModelCard checks), weights not yet read.
struct ModelFileContents {
    ContainerFile file;
    ModelCard card;
};
ModelFileContents readModelFileContents(const std::string& path);

// A model file ready for inference without libtorch: readModelFileContents, then the weights (all finite), then a
// fixed probe input whose output must be finite (a model with e.g. negative batch-norm variances would give NaN
// probabilities on every clip). Throws ModelError "<path>: <reason>".
struct InferenceModel {
    ModelCard card;
    std::shared_ptr<const NativeResNet> network;
};
InferenceModel loadInferenceModel(const std::string& path);

} // namespace emoscope
