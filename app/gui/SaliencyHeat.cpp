// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/SaliencyHeat.h"

#include "net/Saliency.h"

#include <algorithm>
#include <cmath>

QRgb SaliencyHeat::colour(float value)
{
    // The map is peaky (a few cells near 1, most near 0): a square root lets the second-strongest regions show too.
    const float shown = std::sqrt(std::max(0.0f, value));
    if (!(shown > kThreshold))
        return qRgba(0, 0, 0, 0);
    const float t = std::min(1.0f, (shown - kThreshold) / (1.0f - kThreshold));
    const int alpha = int(90 + 140 * t);
    return qRgba(int(60 * t), 255, int(255 - 175 * t), alpha); // cyan to green
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
