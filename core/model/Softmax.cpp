// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/Softmax.h"
#include <algorithm>
#include <cmath>

namespace emoscope {

std::vector<float> softmaxWithTemperature(const std::vector<float>& logits, double temperature)
{
    std::vector<float> p(logits.size());
    if (logits.empty()) return p;
    const double top = *std::max_element(logits.begin(), logits.end()) / temperature;
    double sum = 0;
    for (std::size_t i = 0; i < logits.size(); ++i) sum += std::exp(logits[i] / temperature - top);
    for (std::size_t i = 0; i < logits.size(); ++i) p[i] = float(std::exp(logits[i] / temperature - top) / sum);
    return p;
}

} // namespace emoscope
