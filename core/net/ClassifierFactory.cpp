// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/ClassifierFactory.h"
#include "model/NativeResNet.h"
#include "net/ModelIO.h"
#include <stdexcept>

namespace emoscope {

torch::Tensor toInputTensor(const std::vector<const MelMatrix*>& mats)
{
    if (mats.empty()) throw std::invalid_argument("no input");
    const int mels = mats[0]->nMels, frames = mats[0]->frames;
    torch::Tensor x = torch::empty({std::int64_t(mats.size()), 1, mels, frames}, torch::kFloat);
    float* dst = x.data_ptr<float>();
    for (const MelMatrix* m : mats) {
        if (m->nMels != mels || m->frames != frames) throw std::invalid_argument("batch of unequal inputs");
        std::copy(m->data.begin(), m->data.end(), dst);
        dst += m->data.size();
    }
    return x;
}

std::shared_ptr<const Classifier> ClassifierFactory::make(std::string path, ModelCard card, const ResNet& net)
{
    std::vector<torch::Tensor> keep;
    auto native = std::make_shared<const NativeResNet>(card.arch, int(card.labels.size()), storedTensorsOf(net, keep));
    return Classifier::fromNetwork(std::move(path), std::move(card), std::move(native));
}

ResNet ClassifierFactory::network(const Classifier& classifier)
{
    return networkFromStored(classifier.card(), classifier.network().tensors());
}

} // namespace emoscope
