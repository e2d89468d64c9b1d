// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/OverviewBuilder.h"

#include <algorithm>
#include <cmath>

namespace {
constexpr double kPeakBins = 16000;   // a few per pixel column of any screen
constexpr double kColumns = 4000;
constexpr int kFramesPerColumn = 4;   // STFT frames averaged per column: a fraction of the full STFT's cost
} // namespace

OverviewBuilder::OverviewBuilder(const emoscope::FeatureConfig& config, double expectedSeconds)
    : extractor_(config), rate_(config.sampleRate), nFft_(config.nFft), nMels_(config.nMels)
{
    const double seconds = expectedSeconds > 0 ? expectedSeconds : 0.0;
    peakSamples_ = seconds > 0 ? std::size_t(std::ceil(seconds * rate_ / kPeakBins)) : std::size_t(0.05 * rate_);
    peakSamples_ = std::max<std::size_t>(peakSamples_, 1);
    columnSamples_ = seconds > 0 ? std::size_t(std::ceil(seconds * rate_ / kColumns)) : std::size_t(0.5 * rate_);
    columnSamples_ = std::max(columnSamples_, std::size_t(std::max(config.hopLength, nFft_)));
    mel_.resize(std::size_t(nMels_));
    columnBuf_.reserve(columnSamples_);
}

void OverviewBuilder::push(const float* x, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i) {
        if (inPeak_ == 0) peaks_.emplace_back(x[i], x[i]);
        auto& p = peaks_.back();
        p.first = std::min(p.first, x[i]);
        p.second = std::max(p.second, x[i]);
        if (++inPeak_ == peakSamples_) inPeak_ = 0;
    }
    for (std::size_t i = 0; i < n;) {
        const std::size_t take = std::min(n - i, columnSamples_ - columnBuf_.size());
        columnBuf_.insert(columnBuf_.end(), x + i, x + i + take);
        i += take;
        if (columnBuf_.size() == columnSamples_) finishColumn();
    }
}

void OverviewBuilder::finishColumn()
{
    // kFramesPerColumn frames spread evenly over the column, power averaged.
    const std::size_t start = columnSamples_ >= std::size_t(nFft_) ? columnSamples_ - std::size_t(nFft_) : 0;
    std::vector<float> sum(std::size_t(nMels_), 0.0f);
    for (int k = 0; k < kFramesPerColumn; ++k) {
        const std::size_t at = start * std::size_t(k) / (kFramesPerColumn - 1);
        extractor_.frameToMel(columnBuf_.data() + at, mel_.data());
        for (int m = 0; m < nMels_; ++m) sum[std::size_t(m)] += mel_[std::size_t(m)] / kFramesPerColumn;
    }
    columns_.insert(columns_.end(), sum.begin(), sum.end());
    columnBuf_.clear();
}

emoscope::MelMatrix OverviewBuilder::spectrogramDb() const
{
    const int frames = int(columns_.size() / std::size_t(std::max(nMels_, 1)));
    emoscope::MelMatrix m(nMels_, frames);
    for (int f = 0; f < frames; ++f)
        for (int b = 0; b < nMels_; ++b) m.at(b, f) = columns_[std::size_t(f) * std::size_t(nMels_) + std::size_t(b)];
    // Digital silence dark, at the floor (powerToDisplayDb), as in the Analyze view of a short file.
    emoscope::LogMelExtractor::powerToDisplayDb(m, 1e-10, 80.0);
    return m;
}
