// SPDX-License-Identifier: GPL-3.0-or-later
// PRIVATE header (includes torch through ResNet.h): for core .cpp files only.
#pragma once
#include "model/ModelCard.h"
#include "model/ResNet.h"
#include <string>

namespace emoscope {

struct LoadedModel {
    ModelCard card;
    ResNet net{nullptr}; // in eval mode
};

// Writes card + weights atomically (temp file in the same folder + rename). Throws ModelError on I/O failure.
void saveModelFile(const std::string& path, const ModelCard& card, const ResNet& net);

// Reads and validates everything (container, checksum, card, weights vs arch). Throws ModelError "<path>: <reason>".
LoadedModel loadModelFile(const std::string& path);

} // namespace emoscope
