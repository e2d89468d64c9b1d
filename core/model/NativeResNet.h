// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/MelMatrix.h"
#include "model/ModelCard.h"
#include "model/TensorContainer.h"
#include <memory>
#include <string>
#include <vector>

namespace emoscope {

// The network of a model file, evaluated without libtorch: the eval-mode forward pass of ResNet (core/net/ResNet.cpp)
// with each batch norm folded into its convolution, dropout off, and the matrix products in BLAS (cblas_sgemm;
// OpenBLAS on Debian). Why: classify, timeline and the GUI's analysis then need no libtorch, whose loading costs
// most of a second per process. Training, adaptation and saliency keep libtorch's network; tests/core/
// test_native_network checks that both give the same probabilities on real clips.
// Thread-safety: immutable after construction; logits() may run on any number of threads at once.
class NativeResNet {
public:
    // tensors: as a model file stores them (names, shapes and order of expectedInventory(arch, numLabels)); they are
    // copied. Throws std::invalid_argument when they do not match the architecture or a weight is not finite.
    NativeResNet(const ModelArch& arch, int numLabels, const std::vector<ContainerTensor>& tensors);
    ~NativeResNet();
    NativeResNet(const NativeResNet&) = delete;
    NativeResNet& operator=(const NativeResNet&) = delete;

    const ModelArch& arch() const;
    int numLabels() const;
    // Logits of one prepared input (padded and normalised, InputPrep), read as [1 x nMels x frames].
    std::vector<float> logits(const MelMatrix& input) const;
    // The tensors as given (views into this object), for code that rebuilds libtorch's network from them.
    const std::vector<ContainerTensor>& tensors() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace emoscope
