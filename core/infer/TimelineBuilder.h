// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/SpeechDetector.h"
#include "dsp/MelMatrix.h"
#include "infer/Classifier.h"
#include <functional>
#include <memory>
#include <vector>

namespace emoscope {

// The sliding-window timeline over a stream of samples at the model's rate, in bounded memory: samples are kept only
// until the windows that need them are classified (in batches), voice activity runs alongside (SpeechDetector), and
// a window is released once its speech decision is final. The windows and their order are exactly those of
// Classifier::timeline over the whole audio (the last window is flush with the end). Core-internal to Classifier.
class TimelineBuilder {
public:
    using Features = std::function<MelMatrix(const float* samples, std::size_t n)>; // a prepared (padded, normalised) log-mel
    using Forward = std::function<std::vector<std::vector<float>>(const std::vector<const MelMatrix*>&)>;
    using Sink = std::function<void(std::vector<TimelineWindow>&&)>; // windows, final, in order

    // Throws std::invalid_argument for a window or hop that is not finite or out of range (checkTimelineOptions).
    TimelineBuilder(int sampleRate, const TimelineOptions& options, const Calibration& calibration, Features features,
                    Forward forward, Sink sink);
    ~TimelineBuilder();

    void push(const float* samples, std::size_t n);
    // Classifies the remaining windows (the one flush with the end too) and releases everything.
    void finish();
    const SpeechActivity& speech() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Window and hop must be finite; window 0 < w <= 600 s, hop 0.01 s <= h <= 600 s (finer hops only repeat work).
void checkTimelineOptions(const TimelineOptions& options);

} // namespace emoscope
