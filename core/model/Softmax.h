// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <vector>

namespace emoscope {

// softmax(logits / temperature), computed stably.
std::vector<float> softmaxWithTemperature(const std::vector<float>& logits, double temperature);
// logits / temperature + classBias, in double: what calibratedSoftmax exponentiates (and the calibration's NLL reads).
std::vector<double> calibratedLogits(const std::vector<float>& logits, double temperature,
                                     const std::vector<double>& classBias);
// softmax(z) in double, computed stably (the largest z subtracted before exponentiating). Empty in, empty out.
std::vector<double> softmaxOf(const std::vector<double>& z);
// softmax(logits / temperature + classBias): how the card's calibration turns logits into probabilities.
// classBias is empty (none) or has one entry per label.
std::vector<float> calibratedSoftmax(const std::vector<float>& logits, double temperature,
                                     const std::vector<double>& classBias);

} // namespace emoscope
