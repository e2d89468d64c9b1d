// SPDX-License-Identifier: GPL-3.0-or-later
// PRIVATE header (includes torch through ResNet.h): for core .cpp files only.
#pragma once
#include "model/ModelCard.h"
#include "model/TensorContainer.h"
#include "net/ResNet.h"
#include <string>
#include <vector>

namespace emoscope {

struct LoadedModel {
    ModelCard card;
    ResNet net{nullptr}; // in eval mode
};

// Writes card + weights atomically (temp file in the same folder + rename). Throws ModelError on I/O failure.
void saveModelFile(const std::string& path, const ModelCard& card, const ResNet& net);

// Reads and validates everything (container, checksum, card, weights vs arch, the probe of loadInferenceModel).
// Throws ModelError "<path>: <reason>".
LoadedModel loadModelFile(const std::string& path);

// The network's parameters and buffers as a model file stores them (namedState order; float32 or int64). The views
// point into `keep`, which the caller holds while it uses them.
std::vector<ContainerTensor> storedTensorsOf(const ResNet& net, std::vector<torch::Tensor>& keep);

// A libtorch network (eval mode) of `card`'s architecture holding the given stored tensors (checked to match).
ResNet networkFromStored(const ModelCard& card, const std::vector<ContainerTensor>& tensors);

} // namespace emoscope
