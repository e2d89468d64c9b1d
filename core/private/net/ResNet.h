// SPDX-License-Identifier: GPL-3.0-or-later
// PRIVATE header (includes torch): only core .cpp files may include it, never a public header,
// because Qt code includes the public headers and libtorch uses the identifier `slots`.
#pragma once
#include "model/ModelCard.h"
#include <torch/torch.h>

namespace emoscope {

// Two 3x3 convolutions with batch norm and an identity (or 1x1 projection) shortcut.
class BasicBlockImpl : public torch::nn::Module {
public:
    BasicBlockImpl(int in, int out, int stride);
    torch::Tensor forward(const torch::Tensor& x);

private:
    torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
    torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr};
    torch::nn::Sequential shortcut_{nullptr}; // null when the shapes already match
};
TORCH_MODULE(BasicBlock);

// ResNet over [B, 1, nMels, T] log-mel input; global pooling (ModelArch::pooling) makes any T work.
class ResNetImpl : public torch::nn::Module {
public:
    ResNetImpl(const ModelArch& arch, int numLabels);
    torch::Tensor forward(const torch::Tensor& x); // logits [B, numLabels]
    // The pooled features the classifier head reads, [B, arch.pooledWidth()]; forward = head(dropout(embed(x))).
    torch::Tensor embed(const torch::Tensor& x);
    torch::nn::Linear& head() { return fc_; }
    // The logits of pooled features: forward(x) == logitsOf(embed(x)) (dropout in training mode).
    torch::Tensor logitsOf(const torch::Tensor& embedding);
    // The network cut before its last `tailBlocks` residual blocks, for adapting only the top of it:
    // embed(x) == tailEmbed(prefix(x, n), n) for every n in [0, blockCount()].
    int blockCount() const;
    torch::Tensor prefix(const torch::Tensor& x, int tailBlocks);
    torch::Tensor tailEmbed(const torch::Tensor& h, int tailBlocks);
    std::vector<torch::Tensor> tailParameters(int tailBlocks); // the last blocks' weights (not the head's)
    const ModelArch& arch() const { return arch_; }
    int numLabels() const { return numLabels_; }

private:
    torch::Tensor pool(const torch::Tensor& map) const; // [B, C, F, T] -> [B, arch.pooledWidth()]
    ModelArch arch_;
    int numLabels_;
    torch::nn::Sequential stem_{nullptr};
    torch::nn::Sequential stages_{nullptr};
    torch::nn::Dropout dropout_{nullptr};
    torch::nn::Linear fc_{nullptr};
};
TORCH_MODULE(ResNet);

// Identity in the forward pass; multiplies the gradient by -weight in the backward pass (Ganin & Lempitsky 2015).
// Between features and an adversary head, it trains the features to make the adversary's task harder.
torch::Tensor reverseGradient(const torch::Tensor& x, double weight);

// Throws std::invalid_argument when the arch cannot be built (no stages, width < 1, ...).
void validateArch(const ModelArch& arch);

// Every parameter and buffer by name, in a stable order (what the model file stores).
std::vector<std::pair<std::string, torch::Tensor>> namedState(const torch::nn::Module& module);

// Copies src's parameters and buffers into dst (same architecture).
void copyState(const torch::nn::Module& src, torch::nn::Module& dst);

} // namespace emoscope
