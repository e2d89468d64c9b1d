// SPDX-License-Identifier: GPL-3.0-or-later
// PRIVATE header (includes torch): for core .cpp files only.
#pragma once
#include "infer/Classifier.h"
#include "net/ResNet.h"

namespace emoscope {

// Between libtorch's network and the Classifier, which runs the torch-free NativeResNet.
struct ClassifierFactory {
    // A Classifier around an in-memory network (the Trainer's result) without a round trip through a file. The
    // weights are copied: later changes to `net` do not reach the classifier.
    static std::shared_ptr<const Classifier> make(std::string path, ModelCard card, const ResNet& net);
    // A libtorch copy of the classifier's network (eval mode), for core code that needs gradients (net/Saliency).
    static ResNet network(const Classifier& classifier);
};

// [B, 1, nMels, T] float tensor from prepared (padded + normalised) matrices of equal size.
torch::Tensor toInputTensor(const std::vector<const MelMatrix*>& mats);

} // namespace emoscope
