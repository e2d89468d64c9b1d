// SPDX-License-Identifier: GPL-3.0-or-later
// PRIVATE header (includes torch): for core .cpp files only.
#pragma once
#include "infer/Classifier.h"
#include "model/ResNet.h"

namespace emoscope {

// Builds a Classifier around an in-memory network (the Trainer's result) without a round trip through a file.
struct ClassifierFactory {
    static std::shared_ptr<const Classifier> make(std::string path, ModelCard card, ResNet net);
    // The classifier's network (eval mode), for core code that needs more than probabilities (infer/Saliency).
    static ResNet network(const Classifier& classifier);
};

// [B, 1, nMels, T] float tensor from prepared (padded + normalised) matrices of equal size.
torch::Tensor toInputTensor(const std::vector<const MelMatrix*>& mats);

} // namespace emoscope
