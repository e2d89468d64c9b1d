// SPDX-License-Identifier: GPL-3.0-or-later
// PRIVATE header (includes torch): an exponential moving average of a network's weights and BatchNorm statistics
// (Polyak averaging), kept beside the network being trained. Not thread-safe: update it from the training thread.
#pragma once
#include "net/ResNet.h"
#include "train/RunSupport.h"
#include <algorithm>

namespace emoscope {

class WeightAverage {
public:
    // Starts as a copy of net. decay in (0, 1): the weight of the old average at each update.
    WeightAverage(const ResNet& net, double decay) : decay_(decay), average_(cloneNet(net)) {}

    // After each optimiser step. The first updates use a smaller decay ((1 + n) / (10 + n)), so the average is not
    // anchored to the random initial weights. Integer buffers (BatchNorm's batch count) are copied.
    void update(const ResNet& net)
    {
        torch::NoGradGuard noGrad;
        const double d = std::min(decay_, (1.0 + double(updates_)) / (10.0 + double(updates_)));
        const auto src = namedState(*net);
        auto dst = namedState(*average_);
        for (std::size_t i = 0; i < src.size() && i < dst.size(); ++i) {
            torch::Tensor& a = dst[i].second;
            const torch::Tensor& b = src[i].second;
            if (a.is_floating_point()) a.mul_(d).add_(b.detach(), 1.0 - d);
            else a.copy_(b);
        }
        ++updates_;
    }

    // Starts over from net (a resumed run whose checkpoint holds no average).
    void reset(const ResNet& net)
    {
        copyState(*net, *average_);
        updates_ = 0;
    }

    // After the average's tensors were restored from a checkpoint: the number of updates they had.
    void setUpdates(long updates) { updates_ = updates; }

    const ResNet& average() const { return average_; }
    long updates() const { return updates_; }

private:
    double decay_;
    ResNet average_;
    long updates_ = 0;
};

} // namespace emoscope
