// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/SaliencyHeat.h"

#include "infer/Saliency.h"

#include <algorithm>

QRgb SaliencyHeat::colour(float value)
{
    if (!(value > kThreshold))
        return qRgba(0, 0, 0, 0);
    const float t = std::min(1.0f, (value - kThreshold) / (1.0f - kThreshold));
    const int alpha = int(70 + 150 * t);
    return qRgba(int(40 + 215 * t), int(200 + 55 * t), 255, alpha);
}

QImage SaliencyHeat::image(const emoscope::SaliencyMap& map)
{
    if (map.empty())
        return {};
    QImage out(map.frames, map.nMels, QImage::Format_ARGB32);
    for (int mel = 0; mel < map.nMels; ++mel) {
        auto* line = reinterpret_cast<QRgb*>(out.scanLine(mel)); // row 0 = the lowest band
        for (int t = 0; t < map.frames; ++t)
            line[t] = colour(map.at(mel, t));
    }
    return out;
}
