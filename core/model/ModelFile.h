// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "model/ModelCard.h"
#include <string>

namespace emoscope {

// Reads the card of a model file without loading its weights. Validates the container (size, checksum), format
// version, labels and feature config, and builds the card's architecture (a few ms) to check the stored weights'
// names, shapes and types against it. Throws ModelError naming the file and the reason (missing, not a model,
// truncated/corrupt, wrong version, inconsistent labels/weights).
ModelCard readModelCard(const std::string& path);

} // namespace emoscope
