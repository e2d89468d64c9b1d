// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include "dsp/MelMatrix.h"
#include <atomic>
#include <string>
#include <vector>

namespace emoscope {

class Classifier;

// Where a model looked when it decided: one value in 0..1 per log-mel cell (the model's own time x mel grid).
struct SaliencyMap {
    int nMels = 0;
    int frames = 0;
    std::vector<float> values;         // row-major [mel][frame], row 0 = lowest band; 1 = the most salient cell
    int classIndex = -1;               // the label explained
    std::vector<float> probabilities;  // calibrated, of the explained input (segmented: frame-weighted mean)
    double startSeconds = 0;           // time of column 0
    double hopSeconds = 0;             // time between columns
    bool empty() const { return frames == 0; }
    float at(int mel, int frame) const { return values[std::size_t(mel) * std::size_t(frames) + std::size_t(frame)]; }
};

enum class SaliencyMethod {
    // Grad-CAM on the last residual stage, upsampled (bilinear) to the input grid. The last stage is 8-32x
    // downsampled, so its cells are coarse: in test_saliency its peak lands on the planted cue's box for only about
    // half the clips (though the map's mass is there).
    GradCam,
    // Grad-CAM x |d score / d input| (3x3 mean): the coarse map sharpened by which input cells move the score. The
    // default: its peak lands on the planted cue for every held-out clip of test_saliency.
    GradCamTimesInputGradient,
};

struct SaliencyOptions {
    SaliencyMethod method = SaliencyMethod::GradCamTimesInputGradient;
    int classIndex = -1;        // -1 = the predicted class (the top of SaliencyMap::probabilities)
    // Inputs longer than this are explained segment by segment (each a separate pass for the same class), so memory
    // stays bounded for any length; the segments are normalised together.
    int maxSegmentFrames = 3000;
};

// Explains a dB log-mel computed with the classifier's FeatureConfig (as Classifier::classifyLogMel takes it), padded
// and normalised exactly as inference does. Runs on the calling thread with grad mode enabled only inside the call
// (the network stays in eval mode: batch norm frozen); thread-safe like the classifier's const methods.
// Throws std::invalid_argument for a wrong number of bands, an empty input or a class out of range. Cancelling
// between segments returns an empty map.
SaliencyMap explainLogMel(const Classifier& model, const MelMatrix& logMelDb, const SaliencyOptions& options = {},
                          const std::atomic<bool>* cancel = nullptr);

// Samples at any rate (resampled to the model's rate, as Classifier::classify does), then explainLogMel.
SaliencyMap explainAudio(const Classifier& model, const AudioBuffer& audio, const SaliencyOptions& options = {},
                         const std::atomic<bool>* cancel = nullptr);

} // namespace emoscope
