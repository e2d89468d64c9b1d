// SPDX-License-Identifier: GPL-3.0-or-later
// Model file = TensorContainer (kModelContainer) holding the card JSON and the network's tensors in namedState order.
#include "model/ModelFile.h"
#include "model/ModelError.h"
#include "model/ModelIO.h"
#include "model/ModelInventory.h"
#include "model/TensorContainer.h"
#include "util/AtomicFile.h"
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace emoscope {

namespace {

struct Parsed {
    ContainerFile file;
    ModelCard card;
};

Parsed parseFile(const std::string& path)
{
    Parsed out{readContainerFile(path, kModelContainer), {}};
    try {
        out.card = ModelCard::fromJson(out.file.json); // plausibility limits on every field
    } catch (const std::exception& e) {
        throw ModelError(path, std::string("bad model card: ") + e.what());
    }
    return out;
}

// The stored tensors against what the card's architecture needs (count, names, shapes, types), before anything is
// allocated: a small file claiming a huge network is refused here.
void checkInventory(const std::string& path, const Parsed& p)
{
    const std::vector<TensorSpec> want = expectedInventory(p.card.arch, int(p.card.labels.size()));
    const auto& have = p.file.tensors;
    if (want.size() != have.size())
        throw ModelError(path, "weights do not match the architecture (" + std::to_string(have.size()) +
                                   " tensors stored, " + std::to_string(want.size()) + " expected)");
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (have[i].name != want[i].name)
            throw ModelError(path, "weights do not match the architecture (found '" + have[i].name + "', expected '" +
                                       want[i].name + "')");
        if (have[i].dims != want[i].dims)
            throw ModelError(path, "weights do not match the architecture (shape of '" + want[i].name + "' differs)");
        if ((have[i].dtype == 0) != want[i].isFloat)
            throw ModelError(path, "weights do not match the architecture (type of '" + want[i].name + "')");
    }
}

// A deterministic log-mel-like input; a model whose output on it is not finite (e.g. negative batch-norm
// variances) would give NaN probabilities on every clip, so it is refused at load.
void checkProbeOutput(const std::string& path, const ModelCard& card, ResNet& net)
{
    torch::NoGradGuard noGrad;
    const int frames = std::clamp(card.input.minFrames, 8, 512);
    auto probe = torch::arange(int64_t(card.features.nMels) * frames, torch::kFloat)
                     .mul(0.37)
                     .sin()
                     .mul(2.0)
                     .reshape({1, 1, card.features.nMels, frames});
    const torch::Tensor out = net->forward(probe);
    if (!torch::isfinite(out).all().item<bool>())
        throw ModelError(path, "unusable model: its output is not finite (NaN or infinite) on a test input");
}

ResNet buildAndLoad(const std::string& path, const Parsed& p)
{
    checkInventory(path, p);
    ResNet net{nullptr};
    try {
        net = ResNet(p.card.arch, int(p.card.labels.size()));
    } catch (const std::exception& e) {
        throw ModelError(path, std::string("bad architecture: ") + e.what());
    }
    auto state = namedState(*net);
    if (state.size() != p.file.tensors.size()) // expectedInventory and ResNet disagree: a bug, not a bad file
        throw std::logic_error("expectedInventory does not match ResNet");
    torch::NoGradGuard noGrad;
    for (std::size_t i = 0; i < state.size(); ++i) {
        const auto& [name, dst] = state[i];
        const ContainerTensor& t = p.file.tensors[i];
        if (t.name != name || t.dims != dst.sizes().vec()) throw std::logic_error("expectedInventory does not match ResNet");
        auto src = torch::from_blob(const_cast<char*>(t.data), t.dims, t.dtype == 0 ? torch::kFloat : torch::kLong);
        if (t.dtype == 0 && !torch::isfinite(src).all().item<bool>())
            throw ModelError(path, "corrupt (non-finite weights in '" + name + "')");
        dst.copy_(src);
    }
    net->eval();
    checkProbeOutput(path, p.card, net);
    return net;
}

} // namespace

ModelCard readModelCard(const std::string& path)
{
    Parsed p = parseFile(path);
    checkInventory(path, p); // no network is built: the card dialog must stay cheap whatever the file claims
    return p.card;
}

LoadedModel loadModelFile(const std::string& path)
{
    Parsed p = parseFile(path);
    LoadedModel m;
    m.net = buildAndLoad(path, p);
    m.card = std::move(p.card);
    return m;
}

void saveModelFile(const std::string& path, const ModelCard& card, const ResNet& net)
{
    try {
        card.validate();
    } catch (const std::exception& e) {
        throw ModelError(path, std::string("refusing to save an invalid card: ") + e.what());
    }
    const auto state = namedState(*net);
    std::vector<torch::Tensor> keep; // owns the contiguous copies the container points into
    std::vector<ContainerTensor> tensors;
    for (const auto& [name, tensor] : state) {
        const bool isFloat = tensor.scalar_type() == torch::kFloat;
        const torch::Tensor t = tensor.detach().contiguous().to(isFloat ? torch::kFloat : torch::kLong);
        // Never write a model that cannot work (a NaN training run, `train --from` a broken model).
        if (isFloat && !torch::isfinite(t).all().item<bool>())
            throw ModelError(path, "refusing to save: the weights are not finite in '" + name + "' (training diverged)");
        keep.push_back(t);
        tensors.push_back({name, std::uint8_t(isFloat ? 0 : 1), t.sizes().vec(), static_cast<const char*>(t.data_ptr()),
                           t.nbytes()});
    }
    const std::string file = packContainer(kModelContainer, card.toJson(), tensors);
    try {
        writeBytesAtomically(path, file);
    } catch (const std::exception& e) {
        throw ModelError(path, std::string("cannot write: ") + e.what());
    }
}

} // namespace emoscope
