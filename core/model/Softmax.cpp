// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/Softmax.h"
#include <algorithm>
#include <cmath>

namespace emoscope {

std::vector<float> softmaxWithTemperature(const std::vector<float>& logits, double temperature)
{
    return calibratedSoftmax(logits, temperature, {});
}

std::vector<double> calibratedLogits(const std::vector<float>& logits, double temperature,
                                     const std::vector<double>& classBias)
{
    std::vector<double> z(logits.size());
    for (std::size_t i = 0; i < logits.size(); ++i)
        z[i] = logits[i] / temperature + (i < classBias.size() ? classBias[i] : 0.0);
    return z;
}

std::vector<double> softmaxOf(const std::vector<double>& z)
{
    std::vector<double> p(z.size());
    if (z.empty()) return p;
    const double top = *std::max_element(z.begin(), z.end());
    double sum = 0;
    for (double v : z) sum += std::exp(v - top);
    for (std::size_t i = 0; i < z.size(); ++i) p[i] = std::exp(z[i] - top) / sum;
    return p;
}

std::vector<float> calibratedSoftmax(const std::vector<float>& logits, double temperature,
                                     const std::vector<double>& classBias)
{
    const std::vector<double> p = softmaxOf(calibratedLogits(logits, temperature, classBias));
    return std::vector<float>(p.begin(), p.end());
}

} // namespace emoscope
