// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "train/Trainer.h"

#include <string>
#include <vector>

namespace emoscope {

// The per-epoch history as JSON text, one spelling for checkpoints, the CLI's summary and anything else:
// [{"epoch", "train_loss", "train_accuracy", "validation_loss", "validation_accuracy", "validation_uar",
//   "seconds", "best"}, ...].
std::string epochHistoryToJson(const std::vector<EpochReport>& history);
// The inverse; throws std::invalid_argument when the text is not such an array.
std::vector<EpochReport> epochHistoryFromJson(const std::string& json);

} // namespace emoscope
