// SPDX-License-Identifier: GPL-3.0-or-later
// Model file = TensorContainer (kModelContainer) holding the card JSON and the network's tensors in namedState order.
#include "model/ModelFile.h"
#include "model/ModelError.h"
#include "model/ModelInventory.h"
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace emoscope {

namespace {

// A deterministic log-mel-like input; a model whose output on it is not finite is refused at load.
void checkProbeOutput(const std::string& path, const ModelCard& card, const NativeResNet& net)
{
    const int frames = std::clamp(card.input.minFrames, 8, 512);
    MelMatrix probe(card.features.nMels, frames);
    for (std::size_t i = 0; i < probe.data.size(); ++i) probe.data[i] = 2.0f * std::sin(0.37f * float(i));
    for (float v : net.logits(probe))
        if (!std::isfinite(v))
            throw ModelError(path, "unusable model: its output is not finite (NaN or infinite) on a test input");
}

} // namespace

ModelFileContents readModelFileContents(const std::string& path)
{
    ModelFileContents out{readContainerFile(path, kModelContainer), {}};
    try {
        out.card = ModelCard::fromJson(out.file.json); // plausibility limits on every field
    } catch (const std::exception& e) {
        throw ModelError(path, std::string("bad model card: ") + e.what());
    }
    // The stored tensors against what the card's architecture needs, before anything is allocated: a small file
    // claiming a huge network is refused here.
    if (const std::string why = inventoryMismatch(out.card.arch, int(out.card.labels.size()), out.file.tensors);
        !why.empty())
        throw ModelError(path, why);
    return out;
}

ModelCard readModelCard(const std::string& path)
{
    return readModelFileContents(path).card; // no network is built: the card dialog stays cheap whatever the file claims
}

InferenceModel loadInferenceModel(const std::string& path)
{
    ModelFileContents contents = readModelFileContents(path);
    InferenceModel m;
    try {
        m.network = std::make_shared<const NativeResNet>(contents.card.arch, int(contents.card.labels.size()),
                                                         contents.file.tensors);
    } catch (const std::invalid_argument& e) {
        throw ModelError(path, e.what());
    }
    checkProbeOutput(path, contents.card, *m.network);
    m.card = std::move(contents.card);
    return m;
}

} // namespace emoscope
