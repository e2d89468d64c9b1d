// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/FeatureConfig.h"
#include <string>
#include <vector>

namespace emoscope {

// How the last stage's [channels x frequency x time] map becomes one vector for the head (any number of frames).
enum class Pooling {
    Mean,    // the average over frequency and time: `channels` values
    MeanStd, // frequency averaged, then the mean and the standard deviation over time: 2 x `channels` values,
             // so the head also sees how much each feature varies over the clip (statistics pooling)
};

// Network shape: a ResNet over [1 x nMels x frames] with global pooling (any number of frames).
struct ModelArch {
    std::vector<int> widths{32, 64, 128, 256}; // channels per stage; stage i>0 halves time and frequency
    int blocksPerStage = 1;                   // basic residual blocks per stage
    int stemStride = 2;
    double dropout = 0.2;
    Pooling pooling = Pooling::Mean;          // files without the field are Mean (all models before it)
    int pooledWidth() const { return widths.empty() ? 0 : widths.back() * (pooling == Pooling::MeanStd ? 2 : 1); }
    bool operator==(const ModelArch&) const = default;
};

// How a clip of any length becomes network input.
struct InputPolicy {
    int minFrames = 32;       // shorter inputs are zero(= floor)-padded to this many frames
    int trainCropFrames = 96; // training crops/pads to this length (random crop); inference uses the whole clip
    // Added: cut the audio to its speech span (first to last voice-activity frame, audio/SpeechTrim.h) widened by
    // trimMarginSeconds, in training and inference alike, so the leading and trailing silence a corpus happens to
    // have is no cue. Files without the field keep the whole clip.
    bool trimToSpeech = false;
    double trimMarginSeconds = 0.2;
    bool operator==(const InputPolicy&) const = default;
};

// Normalisation applied to the dB log-mel before the network: x' = (x - mean) / std.
struct Normalisation {
    float mean = -40.0f;
    float std = 20.0f;
    // Added: subtract each mel band's mean over the clip first (cepstral-mean style), which removes a
    // speaker's/channel's fixed spectral colouring. mean/std then apply to the centred values.
    bool perUtteranceBandMean = false;
    bool operator==(const Normalisation&) const = default;
};

// How probabilities become a verdict. Fitted on held-out speakers after training (never on training speakers).
struct Calibration {
    double temperature = 1.0;        // probabilities = softmax(logits / temperature + classBias)
    std::vector<double> classBias;   // empty (none) or one per label: the prior correction fitted with the temperature
    double uncertainThreshold = 0.0; // top calibrated probability below this -> status "uncertain" (0 = never)
    double minSpeechSeconds = 0.3;   // less voice activity than this -> status "no_speech"
    double minSpeechFraction = 0.1;  // ... or a smaller fraction of the clip than this
    bool operator==(const Calibration&) const = default;
};

// Everything a model file holds besides weights. Provenance fields are free-form JSON so the
// CLI, the GUI and the model card share one record.
struct ModelCard {
    // Plausibility limits validate() and fromJson() enforce: a model file is untrusted input.
    static constexpr std::size_t kMaxLabels = 64;
    static constexpr std::size_t kMaxLabelBytes = 64;
    static constexpr int kMaxWidth = 1024;
    static constexpr int kMaxBlocks = 8;
    static constexpr unsigned long long kMaxWeights = 64ull << 20;
    static constexpr int kMaxJsonDepth = 32;
    static constexpr std::size_t kMaxJsonBytes = 1u << 20;

    int formatVersion = 1;
    std::vector<std::string> labels;
    FeatureConfig features;
    ModelArch arch;
    InputPolicy input;
    Normalisation norm;
    Calibration calibration;
    std::string createdUtc;       // ISO 8601
    std::string provenanceJson;   // {"data": [...], "split": ..., "epochs": ..., "seed": ..., "command": ...}
    std::string metricsJson;      // {"validation": {...}, "test": {...}} as measured when saved

    std::string toJson() const;   // the whole card
    static ModelCard fromJson(const std::string& json); // throws std::invalid_argument
    std::string summary() const;  // human-readable multi-line text for the GUI's model card view
    // Added: throws std::invalid_argument naming the first bad field (labels empty/duplicate, features, arch, ...).
    void validate() const;
};

} // namespace emoscope
