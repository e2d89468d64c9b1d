// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QImage>
#include <QRgb>

namespace emoscope {
struct SaliencyMap;
}

// Turns a saliency map into the translucent heat image SpectrogramView::setOverlay takes: one column per frame,
// one row per mel band with row 0 = the lowest band, ARGB with alpha.
class SaliencyHeat {
public:
    // Below this (on the square-root scale colour() draws with) the map draws nothing, so the spectrogram under the
    // unimportant part stays as it was.
    static constexpr float kThreshold = 0.3f;
    // Cyan to green, more opaque the more salient: hues magma and grey do not use; on viridis the alpha tells.
    static QRgb colour(float value);
    static QImage image(const emoscope::SaliencyMap& map);
};
