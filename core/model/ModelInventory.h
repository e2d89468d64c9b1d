// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "model/ModelCard.h"
#include "model/TensorContainer.h"
#include <cstdint>
#include <string>
#include <vector>

namespace emoscope {

// One tensor the network of an architecture holds: what a model file must store, in this order.
struct TensorSpec {
    std::string name;
    std::vector<std::int64_t> dims;
    bool isFloat = true; // false: int64 (batch-norm counters)
};

// Every parameter and buffer ResNet(arch, numLabels) has, in namedState order, computed without building it.
// Why: a file's tensors are checked against this before any allocation, so a tiny file claiming a huge network
// is refused instead of allocating gigabytes. tests/core/test_model_file checks it against a built network.
std::vector<TensorSpec> expectedInventory(const ModelArch& arch, int numLabels);

// "" when tensors are exactly expectedInventory(arch, numLabels) (count, names, shapes, types), else the reason,
// e.g. "weights do not match the architecture (shape of 'fc.weight' differs)".
std::string inventoryMismatch(const ModelArch& arch, int numLabels, const std::vector<ContainerTensor>& tensors);

// Sum of the elements of expectedInventory (the network's size, for plausibility limits).
std::uint64_t inventoryElements(const ModelArch& arch, int numLabels);

} // namespace emoscope
