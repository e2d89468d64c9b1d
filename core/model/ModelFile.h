// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "model/ModelCard.h"
#include <string>

namespace emoscope {

// Reads only the card of a model file (fast; no network built). Validates the container, format version,
// labels and feature config. Throws ModelError naming the file and the reason (missing, not a model,
// truncated/corrupt, wrong version, inconsistent labels/weights).
ModelCard readModelCard(const std::string& path);

} // namespace emoscope
