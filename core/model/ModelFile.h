// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "model/ModelCard.h"
#include <string>

namespace emoscope {

// Reads the card of a model file without loading its weights or building the network. Validates the container
// (file type, size, checksum), format version, the card's plausibility limits, and that the stored tensors' count,
// names, shapes and types are what the card's architecture needs. Throws ModelError naming the file and the reason.
ModelCard readModelCard(const std::string& path);

} // namespace emoscope
