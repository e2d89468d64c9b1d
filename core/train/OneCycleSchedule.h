// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace emoscope {

// One-cycle learning rate per batch: cosine warm-up from maxLr/divFactor to maxLr over the first pctStart of the
// steps, then cosine anneal down to maxLr/(divFactor*finalDivFactor) (fastai/PyTorch OneCycleLR shape).
class OneCycleSchedule {
public:
    OneCycleSchedule(double maxLr, long totalSteps, double pctStart = 0.25, double divFactor = 25.0,
                     double finalDivFactor = 1e4);
    double at(long step) const; // step in [0, totalSteps)

private:
    double maxLr_;
    long totalSteps_;
    double pctStart_, divFactor_, finalDivFactor_;
};

} // namespace emoscope
