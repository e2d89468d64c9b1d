// SPDX-License-Identifier: GPL-3.0-or-later
#include "dsp/MelMatrix.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace emoscope {

MelMatrix MelMatrix::sliceFrames(int first, int count) const
{
    if (first < 0 || count < 0 || first + count > frames)
        throw std::out_of_range("MelMatrix::sliceFrames: frames [" + std::to_string(first) + ", " +
                                std::to_string(first + count) + ") outside [0, " + std::to_string(frames) + ")");
    MelMatrix out(nMels, count);
    for (int m = 0; m < nMels; ++m) {
        const float* src = data.data() + std::size_t(m) * frames + first;
        std::copy(src, src + count, out.data.data() + std::size_t(m) * count);
    }
    return out;
}

void MelMatrix::appendFrames(const MelMatrix& other)
{
    if (other.frames == 0)
        return;
    if (frames == 0 && data.empty()) {
        *this = other;
        return;
    }
    if (other.nMels != nMels)
        throw std::invalid_argument("MelMatrix::appendFrames: " + std::to_string(other.nMels) + " mels appended to " +
                                    std::to_string(nMels));
    // Row-major: each row grows, so rebuild once rather than inserting row by row.
    const int total = frames + other.frames;
    std::vector<float> merged(std::size_t(nMels) * total);
    for (int m = 0; m < nMels; ++m) {
        const float* a = data.data() + std::size_t(m) * frames;
        const float* b = other.data.data() + std::size_t(m) * other.frames;
        float* dst = merged.data() + std::size_t(m) * total;
        std::copy(a, a + frames, dst);
        std::copy(b, b + other.frames, dst + frames);
    }
    data = std::move(merged);
    frames = total;
}

} // namespace emoscope
