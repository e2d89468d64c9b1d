// SPDX-License-Identifier: GPL-3.0-or-later
// The libtorch side of model files: the checks and the inference network are core/model/ModelFile.cpp's; this file
// moves tensors between a file's stored form and libtorch's network.
#include "net/ModelIO.h"
#include "model/ModelError.h"
#include "model/ModelFile.h"
#include "util/AtomicFile.h"
#include <stdexcept>

namespace emoscope {

std::vector<ContainerTensor> storedTensorsOf(const ResNet& net, std::vector<torch::Tensor>& keep)
{
    std::vector<ContainerTensor> tensors;
    for (const auto& [name, tensor] : namedState(*net)) {
        const bool isFloat = tensor.scalar_type() == torch::kFloat;
        keep.push_back(tensor.detach().contiguous().to(isFloat ? torch::kFloat : torch::kLong));
        const torch::Tensor& t = keep.back();
        tensors.push_back({name, std::uint8_t(isFloat ? 0 : 1), t.sizes().vec(), static_cast<const char*>(t.data_ptr()),
                           t.nbytes()});
    }
    return tensors;
}

ResNet networkFromStored(const ModelCard& card, const std::vector<ContainerTensor>& tensors)
{
    ResNet net(card.arch, int(card.labels.size()));
    auto state = namedState(*net);
    if (state.size() != tensors.size()) throw std::logic_error("stored tensors do not match ResNet");
    torch::NoGradGuard noGrad;
    for (std::size_t i = 0; i < state.size(); ++i) {
        const auto& [name, dst] = state[i];
        const ContainerTensor& t = tensors[i];
        if (t.name != name || t.dims != dst.sizes().vec()) throw std::logic_error("stored tensors do not match ResNet");
        dst.copy_(torch::from_blob(const_cast<char*>(t.data), t.dims, t.dtype == 0 ? torch::kFloat : torch::kLong));
    }
    net->eval();
    return net;
}

LoadedModel loadModelFile(const std::string& path)
{
    InferenceModel checked = loadInferenceModel(path); // every check, once, in the torch-free layer
    LoadedModel m;
    try {
        m.net = networkFromStored(checked.card, checked.network->tensors());
    } catch (const std::invalid_argument& e) {
        throw ModelError(path, std::string("bad architecture: ") + e.what());
    }
    m.card = std::move(checked.card);
    return m;
}

void saveModelFile(const std::string& path, const ModelCard& card, const ResNet& net)
{
    try {
        card.validate();
    } catch (const std::exception& e) {
        throw ModelError(path, std::string("refusing to save an invalid card: ") + e.what());
    }
    std::vector<torch::Tensor> keep; // owns the contiguous copies the container points into
    const std::vector<ContainerTensor> tensors = storedTensorsOf(net, keep);
    // Never write a model that cannot work (a NaN training run, `train --from` a broken model).
    for (std::size_t i = 0; i < tensors.size(); ++i)
        if (tensors[i].dtype == 0 && !torch::isfinite(keep[i]).all().item<bool>())
            throw ModelError(path, "refusing to save: the weights are not finite in '" + tensors[i].name +
                                       "' (training diverged)");
    const std::string file = packContainer(kModelContainer, card.toJson(), tensors);
    try {
        writeBytesAtomically(path, file);
    } catch (const std::exception& e) {
        throw ModelError(path, std::string("cannot write: ") + e.what());
    }
}

} // namespace emoscope
