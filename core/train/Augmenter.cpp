// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/Augmenter.h"
#include "model/InputPrep.h"
#include <algorithm>
#include <cmath>

namespace emoscope {

Augmenter::Augmenter(Augmentations augment, InputPolicy input, Normalisation norm, double topDb)
    : augment_(augment), input_(input), norm_(norm), topDb_(topDb)
{
}

MelMatrix Augmenter::make(const MelMatrix& src, std::mt19937_64& rng) const
{
    using U = std::uniform_real_distribution<double>;
    const int crop = input_.trainCropFrames;
    const float floor = dbFloor(src);
    MelMatrix m(src.nMels, crop, floor);
    // Crop or pad to the training length. Without time shift: the start of the clip, padded on the right
    // (what inference does with short clips).
    if (src.frames >= crop) {
        const int offset = augment_.timeShift ? std::uniform_int_distribution<int>(0, src.frames - crop)(rng)
                                              : (src.frames - crop) / 2;
        for (int b = 0; b < src.nMels; ++b)
            std::copy_n(src.data.begin() + std::size_t(b) * src.frames + offset, crop, m.data.begin() + std::size_t(b) * crop);
    } else {
        const int offset = augment_.timeShift ? std::uniform_int_distribution<int>(0, crop - src.frames)(rng) : 0;
        for (int b = 0; b < src.nMels; ++b)
            std::copy_n(src.data.begin() + std::size_t(b) * src.frames, src.frames,
                        m.data.begin() + std::size_t(b) * crop + offset);
    }
    if (augment_.frequencyWarp) {
        // Output band b reads input band b / alpha (linear interpolation); beyond the top, the floor.
        const double alpha = U(1.0 - augment_.frequencyWarpMax, 1.0 + augment_.frequencyWarpMax)(rng);
        MelMatrix w(m.nMels, crop, floor);
        for (int b = 0; b < m.nMels; ++b) {
            const double srcBand = double(b) / alpha;
            const int lo = int(std::floor(srcBand));
            if (lo >= m.nMels - 1) continue;
            const float frac = float(srcBand - lo);
            const float* r0 = m.data.data() + std::size_t(lo) * crop;
            const float* r1 = r0 + crop;
            float* out = w.data.data() + std::size_t(b) * crop;
            for (int t = 0; t < crop; ++t) out[t] = r0[t] + frac * (r1[t] - r0[t]);
        }
        m = std::move(w);
    }
    if (augment_.noise) {
        // Additive noise in the power domain at a random SNR against the clip's mean power, with a random
        // spectral tilt, then re-referenced to the maximum and floored like the front end does.
        double meanPower = 0;
        for (float v : m.data) meanPower += std::pow(10.0, v / 10.0);
        meanPower /= double(m.data.size());
        const double snrDb = U(5.0, 35.0)(rng);
        const double tiltDb = U(-10.0, 10.0)(rng);
        const double level = meanPower * std::pow(10.0, -snrDb / 10.0);
        std::exponential_distribution<double> fluct(1.0);
        float maxDb = -1e30f;
        for (int b = 0; b < m.nMels; ++b) {
            const double bandLevel = level * std::pow(10.0, tiltDb * (double(b) / std::max(1, m.nMels - 1) - 0.5) / 10.0);
            for (int t = 0; t < crop; ++t) {
                float& v = m.data[std::size_t(b) * crop + t];
                v = float(10.0 * std::log10(std::pow(10.0, v / 10.0) + bandLevel * fluct(rng) + 1e-10));
                maxDb = std::max(maxDb, v);
            }
        }
        for (float& v : m.data) {
            v -= maxDb;
            if (topDb_ > 0) v = std::max(v, float(-topDb_));
        }
    }
    if (augment_.gain) {
        // A level change as seen after the dB conversion (kept in the header's sense: before normalisation).
        const float g = float(U(-6.0, 6.0)(rng));
        for (float& v : m.data) v += g;
    }
    normaliseInPlace(m, norm_);
    if (augment_.specAugment) {
        // SpecAugment: two frequency and two time masks, filled with the normalised mean (0).
        for (int k = 0; k < 2; ++k) {
            const int w = std::uniform_int_distribution<int>(0, std::max(0, m.nMels / 8))(rng);
            const int f0 = std::uniform_int_distribution<int>(0, m.nMels - w)(rng);
            for (int b = f0; b < f0 + w; ++b) std::fill_n(m.data.begin() + std::size_t(b) * crop, crop, 0.0f);
        }
        for (int k = 0; k < 2; ++k) {
            const int w = std::uniform_int_distribution<int>(0, std::max(0, crop / 8))(rng);
            const int t0 = std::uniform_int_distribution<int>(0, crop - w)(rng);
            for (int b = 0; b < m.nMels; ++b) std::fill_n(m.data.begin() + std::size_t(b) * crop + t0, w, 0.0f);
        }
    }
    return m;
}

} // namespace emoscope
