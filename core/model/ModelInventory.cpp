// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/ModelInventory.h"

namespace emoscope {

namespace {

struct Lists {
    std::vector<TensorSpec> params, buffers;
    void conv(const std::string& n, std::int64_t out, std::int64_t in, std::int64_t k)
    {
        params.push_back({n + ".weight", {out, in, k, k}, true});
    }
    void batchNorm(const std::string& n, std::int64_t c)
    {
        params.push_back({n + ".weight", {c}, true});
        params.push_back({n + ".bias", {c}, true});
        buffers.push_back({n + ".running_mean", {c}, true});
        buffers.push_back({n + ".running_var", {c}, true});
        buffers.push_back({n + ".num_batches_tracked", {}, false});
    }
};

} // namespace

// Mirrors ResNetImpl's constructor (core/net/ResNet.cpp) and NativeResNet's: modules in registration order, parameters first.
std::vector<TensorSpec> expectedInventory(const ModelArch& arch, int numLabels)
{
    Lists l;
    if (arch.widths.empty())
        return {};
    const std::int64_t w0 = arch.widths.front();
    l.conv("stem.0", w0, 1, 3);
    l.batchNorm("stem.1", w0);
    std::int64_t in = w0;
    int k = 0;
    for (std::size_t s = 0; s < arch.widths.size(); ++s) {
        for (int b = 0; b < arch.blocksPerStage; ++b, ++k) {
            const std::int64_t out = arch.widths[s];
            const bool strided = s > 0 && b == 0;
            const std::string n = "stages." + std::to_string(k);
            l.conv(n + ".conv1", out, in, 3);
            l.batchNorm(n + ".bn1", out);
            l.conv(n + ".conv2", out, out, 3);
            l.batchNorm(n + ".bn2", out);
            if (strided || in != out) {
                l.conv(n + ".shortcut.0", out, in, 1);
                l.batchNorm(n + ".shortcut.1", out);
            }
            in = out;
        }
    }
    l.params.push_back({"fc.weight", {numLabels, arch.pooledWidth()}, true});
    l.params.push_back({"fc.bias", {numLabels}, true});
    l.params.insert(l.params.end(), l.buffers.begin(), l.buffers.end());
    return l.params;
}

std::string inventoryMismatch(const ModelArch& arch, int numLabels, const std::vector<ContainerTensor>& have)
{
    const std::vector<TensorSpec> want = expectedInventory(arch, numLabels);
    const std::string prefix = "weights do not match the architecture (";
    if (want.size() != have.size())
        return prefix + std::to_string(have.size()) + " tensors stored, " + std::to_string(want.size()) + " expected)";
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (have[i].name != want[i].name)
            return prefix + "found '" + have[i].name + "', expected '" + want[i].name + "')";
        if (have[i].dims != want[i].dims) return prefix + "shape of '" + want[i].name + "' differs)";
        if ((have[i].dtype == 0) != want[i].isFloat) return prefix + "type of '" + want[i].name + "')";
    }
    return {};
}

std::uint64_t inventoryElements(const ModelArch& arch, int numLabels)
{
    std::uint64_t total = 0;
    for (const TensorSpec& t : expectedInventory(arch, numLabels)) {
        std::uint64_t n = 1;
        for (auto d : t.dims)
            n *= std::uint64_t(d);
        total += n;
    }
    return total;
}

} // namespace emoscope
