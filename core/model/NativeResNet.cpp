// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/NativeResNet.h"
#include "model/ModelInventory.h"
#include <cblas.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>

namespace emoscope {

namespace {

constexpr double kBatchNormEpsilon = 1e-5; // torch::nn::BatchNorm2d's default, which ResNet keeps
constexpr double kStdFloor = 1e-5;         // ResNetImpl::pool: sqrt(variance + 1e-5)

// A [channels x height x width] feature map, row-major (height = frequency, width = time).
struct FeatureMap {
    int channels = 0, height = 0, width = 0;
    std::vector<float> values;
    std::size_t plane() const { return std::size_t(height) * std::size_t(width); }
};

// A bias-free convolution followed by batch norm, folded into one convolution with a bias.
struct FoldedConv {
    int in = 0, out = 0, kernel = 0, stride = 1, padding = 0;
    std::vector<float> weight; // [out][in * kernel * kernel], torch's [out][in][k][k] order
    std::vector<float> bias;   // [out]

    FeatureMap run(const FeatureMap& x, bool relu) const
    {
        FeatureMap y;
        y.channels = out;
        y.height = (x.height + 2 * padding - kernel) / stride + 1;
        y.width = (x.width + 2 * padding - kernel) / stride + 1;
        if (y.height < 1 || y.width < 1) throw std::invalid_argument("input too small for the network");
        const std::size_t n = y.plane();
        const int depth = in * kernel * kernel;
        const float* columns = x.values.data();
        std::vector<float> unfolded;
        if (kernel != 1 || stride != 1 || padding != 0) { // im2col: one row per (input channel, kernel cell)
            unfolded.assign(std::size_t(depth) * n, 0.0f);    // zero padding stays 0
            for (int c = 0; c < in; ++c)
                for (int i = 0; i < kernel; ++i)
                    for (int j = 0; j < kernel; ++j) {
                        float* row = unfolded.data() + std::size_t((c * kernel + i) * kernel + j) * n;
                        for (int oy = 0; oy < y.height; ++oy) {
                            const int iy = oy * stride - padding + i;
                            if (iy < 0 || iy >= x.height) continue;
                            const float* src = x.values.data() + (std::size_t(c) * x.height + iy) * x.width;
                            float* dst = row + std::size_t(oy) * y.width;
                            for (int ox = 0; ox < y.width; ++ox) {
                                const int ix = ox * stride - padding + j;
                                if (ix >= 0 && ix < x.width) dst[ox] = src[ix];
                            }
                        }
                    }
            columns = unfolded.data();
        }
        y.values.resize(std::size_t(out) * n);
        for (int o = 0; o < out; ++o) std::fill_n(y.values.data() + std::size_t(o) * n, n, bias[std::size_t(o)]);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, out, int(n), depth, 1.0f, weight.data(), depth,
                    columns, int(n), 1.0f, y.values.data(), int(n));
        if (relu)
            for (float& v : y.values) v = v > 0.0f ? v : (std::isnan(v) ? v : 0.0f); // NaN passes, as in torch
        return y;
    }
};

struct Block {
    FoldedConv conv1, conv2;
    std::optional<FoldedConv> shortcut; // none: identity

    FeatureMap run(const FeatureMap& x) const
    {
        FeatureMap y = conv2.run(conv1.run(x, true), false);
        if (shortcut) {
            const FeatureMap s = shortcut->run(x, false);
            for (std::size_t i = 0; i < y.values.size(); ++i) y.values[i] += s.values[i];
        } else {
            for (std::size_t i = 0; i < y.values.size(); ++i) y.values[i] += x.values[i];
        }
        for (float& v : y.values) v = v > 0.0f ? v : (std::isnan(v) ? v : 0.0f);
        return y;
    }
};

// MaxPool2d(3, stride 2, padding 1): padded cells never win (torch pads with -infinity); NaN wins, as in torch.
FeatureMap maxPool3Stride2(const FeatureMap& x)
{
    FeatureMap y;
    y.channels = x.channels;
    y.height = (x.height - 1) / 2 + 1;
    y.width = (x.width - 1) / 2 + 1;
    y.values.resize(std::size_t(y.channels) * y.plane());
    for (int c = 0; c < x.channels; ++c)
        for (int oy = 0; oy < y.height; ++oy)
            for (int ox = 0; ox < y.width; ++ox) {
                float best = -std::numeric_limits<float>::infinity();
                for (int iy = std::max(0, 2 * oy - 1); iy <= std::min(x.height - 1, 2 * oy + 1); ++iy)
                    for (int ix = std::max(0, 2 * ox - 1); ix <= std::min(x.width - 1, 2 * ox + 1); ++ix) {
                        const float v = x.values[(std::size_t(c) * x.height + iy) * x.width + ix];
                        if (v > best || std::isnan(v)) best = v;
                    }
                y.values[(std::size_t(c) * y.height + oy) * y.width + ox] = best;
            }
    return y;
}

} // namespace

struct NativeResNet::Impl {
    ModelArch arch;
    int numLabels = 0;
    std::string storage; // the tensors' bytes; `tensors` points into it
    std::vector<ContainerTensor> tensors;
    FoldedConv stem;
    std::vector<Block> blocks;
    std::vector<float> headWeight; // [numLabels][pooledWidth]
    std::vector<float> headBias;

    std::map<std::string, const ContainerTensor*> byName;

    std::vector<float> floats(const std::string& name) const
    {
        const ContainerTensor* t = byName.at(name);
        std::vector<float> v(t->bytes / sizeof(float));
        std::memcpy(v.data(), t->data, v.size() * sizeof(float));
        return v;
    }

    // conv "<conv>.weight" followed by batch norm "<bn>.*", folded: w' = w * s, b' = beta - mean * s with
    // s = gamma / sqrt(var + eps). A negative variance gives NaN here, which the model file's probe then refuses.
    FoldedConv fold(const std::string& conv, const std::string& bn, int in, int out, int kernel, int stride) const
    {
        FoldedConv f;
        f.in = in;
        f.out = out;
        f.kernel = kernel;
        f.stride = stride;
        f.padding = kernel / 2;
        f.weight = floats(conv + ".weight");
        const auto gamma = floats(bn + ".weight"), beta = floats(bn + ".bias");
        const auto mean = floats(bn + ".running_mean"), var = floats(bn + ".running_var");
        const std::size_t perOut = std::size_t(in) * kernel * kernel;
        f.bias.resize(std::size_t(out));
        for (std::size_t o = 0; o < std::size_t(out); ++o) {
            const double scale = double(gamma[o]) / std::sqrt(double(var[o]) + kBatchNormEpsilon);
            for (std::size_t k = 0; k < perOut; ++k) f.weight[o * perOut + k] = float(f.weight[o * perOut + k] * scale);
            f.bias[o] = float(double(beta[o]) - double(mean[o]) * scale);
        }
        return f;
    }

    std::vector<float> pool(const FeatureMap& m) const
    {
        const std::size_t channels = std::size_t(m.channels);
        std::vector<float> out(std::size_t(arch.pooledWidth()));
        for (std::size_t c = 0; c < channels; ++c) {
            const float* p = m.values.data() + c * m.plane();
            if (arch.pooling == Pooling::Mean) {
                double sum = 0;
                for (std::size_t i = 0; i < m.plane(); ++i) sum += p[i];
                out[c] = float(sum / double(m.plane()));
                continue;
            }
            std::vector<double> overFrequency(std::size_t(m.width), 0.0); // mean over frequency, per frame
            for (int f = 0; f < m.height; ++f)
                for (int t = 0; t < m.width; ++t) overFrequency[std::size_t(t)] += p[std::size_t(f) * m.width + t];
            double mean = 0;
            for (double& v : overFrequency) mean += (v /= m.height);
            mean /= m.width;
            double variance = 0; // population variance over time, as ResNetImpl::pool
            for (double v : overFrequency) variance += (v - mean) * (v - mean);
            variance /= m.width;
            out[c] = float(mean);
            out[channels + c] = float(std::sqrt(variance + kStdFloor));
        }
        return out;
    }
};

NativeResNet::NativeResNet(const ModelArch& arch, int numLabels, const std::vector<ContainerTensor>& tensors)
    : impl_(std::make_unique<Impl>())
{
    if (numLabels < 1) throw std::invalid_argument("a model needs at least one label");
    if (const std::string why = inventoryMismatch(arch, numLabels, tensors); !why.empty())
        throw std::invalid_argument(why);
    Impl& d = *impl_;
    d.arch = arch;
    d.numLabels = numLabels;
    std::size_t total = 0;
    for (const ContainerTensor& t : tensors) total += t.bytes;
    d.storage.resize(total);
    std::size_t at = 0;
    for (const ContainerTensor& t : tensors) {
        if (t.bytes) std::memcpy(d.storage.data() + at, t.data, t.bytes);
        ContainerTensor copy = t;
        copy.data = d.storage.data() + at;
        at += t.bytes;
        d.tensors.push_back(std::move(copy));
    }
    for (const ContainerTensor& t : d.tensors) {
        d.byName[t.name] = &t;
        if (t.dtype != 0) continue;
        for (float v : d.floats(t.name))
            if (!std::isfinite(v)) throw std::invalid_argument("corrupt (non-finite weights in '" + t.name + "')");
    }
    // The same modules, in the same order, as ResNetImpl's constructor (and expectedInventory).
    const int w0 = arch.widths.front();
    d.stem = d.fold("stem.0", "stem.1", 1, w0, 3, arch.stemStride);
    int in = w0, k = 0;
    for (std::size_t s = 0; s < arch.widths.size(); ++s)
        for (int b = 0; b < arch.blocksPerStage; ++b, ++k) {
            const int out = arch.widths[s];
            const int stride = (s > 0 && b == 0) ? 2 : 1;
            const std::string n = "stages." + std::to_string(k);
            Block block;
            block.conv1 = d.fold(n + ".conv1", n + ".bn1", in, out, 3, stride);
            block.conv2 = d.fold(n + ".conv2", n + ".bn2", out, out, 3, 1);
            if (stride != 1 || in != out) block.shortcut = d.fold(n + ".shortcut.0", n + ".shortcut.1", in, out, 1, stride);
            d.blocks.push_back(std::move(block));
            in = out;
        }
    d.headWeight = d.floats("fc.weight");
    d.headBias = d.floats("fc.bias");
}

NativeResNet::~NativeResNet() = default;

const ModelArch& NativeResNet::arch() const { return impl_->arch; }
int NativeResNet::numLabels() const { return impl_->numLabels; }
const std::vector<ContainerTensor>& NativeResNet::tensors() const { return impl_->tensors; }

std::vector<float> NativeResNet::logits(const MelMatrix& input) const
{
    if (input.nMels < 1 || input.frames < 1 || input.data.size() != std::size_t(input.nMels) * input.frames)
        throw std::invalid_argument("empty or malformed network input");
    const Impl& d = *impl_;
    FeatureMap x{1, input.nMels, input.frames, input.data};
    x = maxPool3Stride2(d.stem.run(x, true));
    for (const Block& b : d.blocks) x = b.run(x);
    const std::vector<float> pooled = d.pool(x);
    const std::size_t width = pooled.size();
    std::vector<float> out(std::size_t(d.numLabels));
    for (std::size_t l = 0; l < out.size(); ++l) {
        double sum = d.headBias[l];
        for (std::size_t j = 0; j < width; ++j) sum += double(d.headWeight[l * width + j]) * pooled[j];
        out[l] = float(sum);
    }
    return out;
}

} // namespace emoscope
