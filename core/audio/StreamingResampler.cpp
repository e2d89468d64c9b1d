// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/StreamingResampler.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace emoscope {

StreamingResampler::StreamingResampler(int fromRate, int toRate, int halfTaps)
    : from_(fromRate), to_(toRate), halfTaps_(halfTaps), step_(double(fromRate) / toRate),
      cutoff_(std::min(1.0, double(toRate) / fromRate) * 0.95)
{
    reset();
}

void StreamingResampler::reset()
{
    // Start with a silent left context so the first outputs line up with the first input sample.
    history_.assign(std::size_t(halfTaps_), 0.0f);
    position_ = halfTaps_;
}

float StreamingResampler::kernel(double x) const
{
    const double a = std::abs(x);
    if (a >= halfTaps_)
        return 0.0f;
    const double window = 0.5 + 0.5 * std::cos(std::numbers::pi * a / halfTaps_); // Hann
    const double arg = std::numbers::pi * cutoff_ * x;
    const double sinc = a < 1e-9 ? 1.0 : std::sin(arg) / arg;
    return float(cutoff_ * sinc * window);
}

void StreamingResampler::process(const float* in, std::size_t n, std::vector<float>& out)
{
    if (from_ == to_) {
        out.insert(out.end(), in, in + n);
        return;
    }
    history_.insert(history_.end(), in, in + n);
    while (position_ + halfTaps_ < double(history_.size())) {
        const long centre = long(std::floor(position_));
        double sum = 0.0;
        for (long k = centre - halfTaps_ + 1; k <= centre + halfTaps_; ++k)
            sum += double(history_[std::size_t(k)]) * kernel(position_ - double(k));
        out.push_back(float(sum));
        position_ += step_;
    }
    // Keep only the context the next outputs still need.
    const long keepFrom = std::max(0L, long(std::floor(position_)) - halfTaps_);
    history_.erase(history_.begin(), history_.begin() + keepFrom);
    position_ -= double(keepFrom);
}

} // namespace emoscope
