// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/OneCycleSchedule.h"
#include <algorithm>
#include <cmath>

namespace emoscope {

OneCycleSchedule::OneCycleSchedule(double maxLr, long totalSteps, double pctStart, double divFactor,
                                   double finalDivFactor)
    : maxLr_(maxLr), totalSteps_(std::max(1L, totalSteps)), pctStart_(pctStart), divFactor_(divFactor),
      finalDivFactor_(finalDivFactor)
{
}

double OneCycleSchedule::at(long step) const
{
    const auto cosine = [](double from, double to, double frac) {
        return to + (from - to) * 0.5 * (1.0 + std::cos(M_PI * std::clamp(frac, 0.0, 1.0)));
    };
    const double start = maxLr_ / divFactor_;
    const double end = start / finalDivFactor_;
    const double warm = std::max(1.0, pctStart_ * double(totalSteps_));
    if (double(step) < warm) return cosine(start, maxLr_, double(step) / warm);
    const double rest = std::max(1.0, double(totalSteps_) - warm);
    return cosine(maxLr_, end, (double(step) - warm) / rest);
}

} // namespace emoscope
