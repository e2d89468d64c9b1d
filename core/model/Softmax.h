// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <vector>

namespace emoscope {

// softmax(logits / temperature), computed stably (the card's calibration turns logits into probabilities with it).
std::vector<float> softmaxWithTemperature(const std::vector<float>& logits, double temperature);

} // namespace emoscope
