// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/ResNet.h"
#include <stdexcept>

namespace emoscope {

namespace nn = torch::nn;

BasicBlockImpl::BasicBlockImpl(int in, int out, int stride)
{
    conv1_ = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false)));
    bn1_ = register_module("bn1", nn::BatchNorm2d(out));
    conv2_ = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(out, out, 3).stride(1).padding(1).bias(false)));
    bn2_ = register_module("bn2", nn::BatchNorm2d(out));
    if (stride != 1 || in != out) {
        shortcut_ = register_module("shortcut", nn::Sequential(
            nn::Conv2d(nn::Conv2dOptions(in, out, 1).stride(stride).bias(false)), nn::BatchNorm2d(out)));
    }
}

torch::Tensor BasicBlockImpl::forward(const torch::Tensor& x)
{
    auto y = torch::relu(bn1_(conv1_(x)));
    y = bn2_(conv2_(y));
    return torch::relu(y + (shortcut_ ? shortcut_->forward(x) : x));
}

void validateArch(const ModelArch& arch)
{
    if (arch.widths.empty() || arch.widths.size() > 8)
        throw std::invalid_argument("arch.widths must have 1 to 8 stages");
    for (int w : arch.widths)
        if (w < 1 || w > ModelCard::kMaxWidth)
            throw std::invalid_argument("arch.widths must be between 1 and " + std::to_string(ModelCard::kMaxWidth));
    if (arch.blocksPerStage < 1 || arch.blocksPerStage > ModelCard::kMaxBlocks)
        throw std::invalid_argument("arch.blocksPerStage must be between 1 and " + std::to_string(ModelCard::kMaxBlocks));
    if (arch.stemStride < 1 || arch.stemStride > 4) throw std::invalid_argument("arch.stemStride must be 1 to 4");
    if (!(arch.dropout >= 0.0 && arch.dropout < 1.0)) throw std::invalid_argument("arch.dropout must be in [0, 1)");
}

ResNetImpl::ResNetImpl(const ModelArch& arch, int numLabels) : arch_(arch), numLabels_(numLabels)
{
    validateArch(arch);
    if (numLabels < 1) throw std::invalid_argument("a model needs at least one label");
    const int w0 = arch.widths.front();
    // Stem: strided conv + max-pool shrinks the 128 x T map 4x per axis, which keeps an epoch cheap on 2 cores.
    stem_ = register_module("stem", nn::Sequential(
        nn::Conv2d(nn::Conv2dOptions(1, w0, 3).stride(arch.stemStride).padding(1).bias(false)),
        nn::BatchNorm2d(w0), nn::ReLU(),
        nn::MaxPool2d(nn::MaxPool2dOptions(3).stride(2).padding(1))));
    stages_ = nn::Sequential();
    int in = w0;
    for (std::size_t s = 0; s < arch.widths.size(); ++s) {
        for (int b = 0; b < arch.blocksPerStage; ++b) {
            const int stride = (s > 0 && b == 0) ? 2 : 1;
            stages_->push_back(BasicBlock(in, arch.widths[s], stride));
            in = arch.widths[s];
        }
    }
    register_module("stages", stages_);
    dropout_ = register_module("dropout", nn::Dropout(arch.dropout));
    fc_ = register_module("fc", nn::Linear(arch.pooledWidth(), numLabels));
}

torch::Tensor ResNetImpl::pool(const torch::Tensor& map) const
{
    if (arch_.pooling == Pooling::Mean) return map.mean({2, 3}); // over frequency and time: any T
    const torch::Tensor overFrequency = map.mean(2);             // [B, C, T]
    // Population variance (one frame, a very short clip, gives 0, not NaN), and a floor under the square root:
    // a channel that is zero over the whole clip (ReLU) would otherwise have an infinite gradient.
    const auto [variance, mean] = torch::var_mean(overFrequency, {2}, /*unbiased=*/false);
    return torch::cat({mean, torch::sqrt(variance + 1e-5)}, 1);
}

torch::Tensor ResNetImpl::embed(const torch::Tensor& x)
{
    return pool(stages_->forward(stem_->forward(x)));
}

int ResNetImpl::blockCount() const { return int(stages_->size()); }

torch::Tensor ResNetImpl::prefix(const torch::Tensor& x, int tailBlocks)
{
    torch::Tensor h = stem_->forward(x);
    const int cut = blockCount() - tailBlocks;
    for (int i = 0; i < cut; ++i) h = stages_->ptr(std::size_t(i))->as<BasicBlockImpl>()->forward(h);
    return h;
}

torch::Tensor ResNetImpl::tailEmbed(const torch::Tensor& h, int tailBlocks)
{
    torch::Tensor y = h;
    for (int i = blockCount() - tailBlocks; i < blockCount(); ++i)
        y = stages_->ptr(std::size_t(i))->as<BasicBlockImpl>()->forward(y);
    return pool(y);
}

std::vector<torch::Tensor> ResNetImpl::tailParameters(int tailBlocks)
{
    std::vector<torch::Tensor> out;
    for (int i = blockCount() - tailBlocks; i < blockCount(); ++i)
        for (const auto& p : stages_->ptr(std::size_t(i))->parameters()) out.push_back(p);
    return out;
}

torch::Tensor ResNetImpl::logitsOf(const torch::Tensor& embedding)
{
    return fc_(dropout_(embedding));
}

torch::Tensor ResNetImpl::forward(const torch::Tensor& x)
{
    return logitsOf(embed(x));
}

torch::Tensor reverseGradient(const torch::Tensor& x, double weight)
{
    // Value: x + 0 exactly (x - x is 0 in floating point; -w x + (1 + w) x would not be x to the last bit).
    // Gradient: only (x - detached x) is differentiated, so -w.
    const torch::Tensor fixed = x.detach();
    return fixed + (x - fixed) * (-weight);
}

std::vector<std::pair<std::string, torch::Tensor>> namedState(const torch::nn::Module& module)
{
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& p : module.named_parameters(true)) out.emplace_back(p.key(), p.value());
    for (const auto& b : module.named_buffers(true)) out.emplace_back(b.key(), b.value());
    return out;
}

void copyState(const torch::nn::Module& src, torch::nn::Module& dst)
{
    torch::NoGradGuard noGrad;
    const auto a = namedState(src);
    auto b = namedState(dst);
    if (a.size() != b.size()) throw std::logic_error("copyState: different architectures");
    for (std::size_t i = 0; i < a.size(); ++i) b[i].second.copy_(a[i].second);
}

} // namespace emoscope
