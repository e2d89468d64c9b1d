// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/InputPrep.h"
#include <algorithm>

namespace emoscope {

float dbFloor(const MelMatrix& m)
{
    if (m.data.empty()) return 0.0f;
    return *std::min_element(m.data.begin(), m.data.end());
}

MelMatrix padFrames(const MelMatrix& m, int frames)
{
    if (m.frames >= frames) return m;
    MelMatrix out(m.nMels, frames, dbFloor(m));
    for (int b = 0; b < m.nMels; ++b)
        std::copy_n(m.data.begin() + std::size_t(b) * m.frames, m.frames, out.data.begin() + std::size_t(b) * frames);
    return out;
}

void normaliseInPlace(MelMatrix& m, const Normalisation& norm)
{
    if (m.frames <= 0) return;
    const float inv = 1.0f / norm.std;
    for (int b = 0; b < m.nMels; ++b) {
        float* row = m.data.data() + std::size_t(b) * m.frames;
        float shift = norm.mean;
        if (norm.perUtteranceBandMean) {
            double sum = 0;
            for (int t = 0; t < m.frames; ++t) sum += row[t];
            shift += float(sum / m.frames);
        }
        for (int t = 0; t < m.frames; ++t) row[t] = (row[t] - shift) * inv;
    }
}

} // namespace emoscope
