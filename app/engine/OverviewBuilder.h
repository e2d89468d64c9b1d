// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/FeatureConfig.h"
#include "dsp/LogMelExtractor.h"
#include "dsp/MelMatrix.h"

#include <cstddef>
#include <utility>
#include <vector>

// The overview of a long recording, built as its samples stream past (AnalysisEngine's long-file job): waveform
// min/max peaks per fixed bin and a decimated mel spectrogram (a few STFT frames averaged per column), both sized
// for a screen, not for the file: ~16,000 peak bins and ~4,000 columns whatever the length, so two hours cost a few
// MB instead of the 460 MB of the samples. Not thread-safe: one per job.
class OverviewBuilder {
public:
    // expectedSeconds sizes the bins (the header's length; <= 0 when unknown: 0.05 s peaks, 0.5 s columns).
    OverviewBuilder(const emoscope::FeatureConfig& config, double expectedSeconds);

    void push(const float* samples, std::size_t n); // at config.sampleRate

    const std::vector<std::pair<float, float>>& peaks() const { return peaks_; }
    double peakSeconds() const { return double(peakSamples_) / rate_; }
    // The columns so far in dB relative to their maximum (0 = loudest), floored at -80 dB.
    emoscope::MelMatrix spectrogramDb() const;
    double columnSeconds() const { return double(columnSamples_) / rate_; }

private:
    void finishColumn();

    emoscope::LogMelExtractor extractor_;
    int rate_ = 0, nFft_ = 0, nMels_ = 0;
    std::size_t peakSamples_ = 1, columnSamples_ = 1;
    std::vector<std::pair<float, float>> peaks_;
    std::size_t inPeak_ = 0;
    std::vector<float> columnBuf_;   // samples of the current column
    std::vector<float> columns_;     // mel power, column after column (nMels each)
    std::vector<float> mel_;
};
