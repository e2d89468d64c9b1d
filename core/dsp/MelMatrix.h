// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <vector>

namespace emoscope {

// A spectrogram: row-major [nMels][frames] floats (the layout of the golden files and the CLI output).
struct MelMatrix {
    int nMels = 0;
    int frames = 0;
    std::vector<float> data;

    MelMatrix() = default;
    MelMatrix(int mels, int nFrames, float fill = 0.0f)
        : nMels(mels), frames(nFrames), data(std::size_t(mels) * std::size_t(nFrames), fill) {}
    float& at(int mel, int frame) { return data[std::size_t(mel) * frames + frame]; }
    float at(int mel, int frame) const { return data[std::size_t(mel) * frames + frame]; }
    bool empty() const { return frames == 0; }
    // Copies frames [first, first + count) into a new matrix.
    MelMatrix sliceFrames(int first, int count) const;
    // Appends the frames of other (same nMels) to the right.
    void appendFrames(const MelMatrix& other);
};

} // namespace emoscope
