// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/Saliency.h"
#include "audio/Resampler.h"
#include "dsp/LogMelExtractor.h"
#include "infer/Classifier.h"
#include "net/ClassifierFactory.h"
#include "model/InputPrep.h"
#include "model/Softmax.h"
#include "util/Argmax.h"
#include <algorithm>
#include <stdexcept>

namespace emoscope {

namespace {

namespace F = torch::nn::functional;

// The network input for one segment, prepared exactly as Classifier::classifyLogMel prepares it.
torch::Tensor preparedInput(const MelMatrix& logMelDb, const ModelCard& card)
{
    MelMatrix m = padFrames(logMelDb, card.input.minFrames);
    normaliseInPlace(m, card.norm);
    return toInputTensor({&m});
}

// Calibrated probabilities of one segment (no graph kept).
std::vector<float> probabilitiesOf(ResNet& net, const MelMatrix& segment, const ModelCard& card)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor logits = net->forward(preparedInput(segment, card)).contiguous();
    // The card's calibration, as inference applies it.
    return calibratedSoftmax({logits.data_ptr<float>(), logits.data_ptr<float>() + logits.size(1)},
                             card.calibration.temperature, card.calibration.classBias);
}

// Unnormalised saliency of one segment for classIndex, [nMels][frames] of the segment (padding cropped off).
torch::Tensor segmentSaliency(ResNet& net, const MelMatrix& segment, const ModelCard& card, int classIndex,
                              SaliencyMethod method)
{
    // Grad mode is thread-local: on only for this scope. The network stays in eval mode, so batch norm uses its
    // running statistics and the map explains the very function inference computes.
    torch::AutoGradMode gradOn(true);
    const bool wantInputGradient = method == SaliencyMethod::GradCamTimesInputGradient;
    torch::Tensor x = preparedInput(segment, card);
    if (wantInputGradient) x.set_requires_grad(true);
    // forward() = head(dropout(embed(x))) and embed = tailEmbed(prefix(x, 0), 0); dropout is the identity in eval
    // mode, so this is the same function with the last stage's feature map kept.
    const torch::Tensor features = net->prefix(x, 0);
    const torch::Tensor logits = net->head()(net->tailEmbed(features, 0));
    const torch::Tensor score = logits.index({0, classIndex});
    // autograd::grad with explicit inputs writes no parameter's .grad, so concurrent classifiers are not disturbed.
    std::vector<torch::Tensor> inputs{features};
    if (wantInputGradient) inputs.push_back(x);
    const auto grads = torch::autograd::grad({score}, inputs);

    const torch::Tensor weights = grads[0].mean({2, 3}, true);                   // [1, C, 1, 1]
    torch::Tensor cam = torch::relu((weights * features).sum(1, true)).detach(); // [1, 1, h, w]
    cam = F::interpolate(cam, F::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{x.size(2), x.size(3)})
                                  .mode(torch::kBilinear)
                                  .align_corners(false));
    if (wantInputGradient) {
        // |gradient| is noisy cell to cell; a 3x3 mean keeps its shape without single-cell speckle.
        const torch::Tensor g = F::avg_pool2d(grads[1].abs(), F::AvgPool2dFuncOptions(3).stride(1).padding(1));
        cam = cam * g.detach();
    }
    return cam.index({0, 0}).narrow(1, 0, segment.frames).contiguous(); // crop the padding padFrames added
}

} // namespace

SaliencyMap explainLogMel(const Classifier& model, const MelMatrix& logMelDb, const SaliencyOptions& options,
                          const std::atomic<bool>* cancel)
{
    const ModelCard& card = model.card();
    if (logMelDb.nMels != card.features.nMels)
        throw std::invalid_argument("log-mel has " + std::to_string(logMelDb.nMels) + " mel bands, the model expects " +
                                    std::to_string(card.features.nMels));
    if (logMelDb.frames <= 0) throw std::invalid_argument("empty log-mel");
    const int labels = int(card.labels.size());
    if (options.classIndex < -1 || options.classIndex >= labels)
        throw std::invalid_argument("class " + std::to_string(options.classIndex) + " is not one of the model's " +
                                    std::to_string(labels) + " labels");
    if (options.maxSegmentFrames < 1) throw std::invalid_argument("maxSegmentFrames must be at least 1");

    ResNet net = ClassifierFactory::network(model);
    std::vector<MelMatrix> segments;
    for (int first = 0; first < logMelDb.frames; first += options.maxSegmentFrames)
        segments.push_back(logMelDb.sliceFrames(first, std::min(options.maxSegmentFrames, logMelDb.frames - first)));

    SaliencyMap out;
    // The probabilities of the whole input: frame-weighted mean over the segments (one segment: exactly inference's).
    out.probabilities.assign(std::size_t(labels), 0.0f);
    for (const MelMatrix& s : segments) {
        if (cancel && cancel->load()) return {};
        const auto p = probabilitiesOf(net, s, card);
        for (int i = 0; i < labels; ++i) out.probabilities[std::size_t(i)] += p[std::size_t(i)] * s.frames / logMelDb.frames;
    }
    out.classIndex = options.classIndex >= 0 ? options.classIndex : argmax(out.probabilities);

    out.nMels = logMelDb.nMels;
    out.frames = logMelDb.frames;
    out.values.assign(std::size_t(out.nMels) * std::size_t(out.frames), 0.0f);
    int first = 0;
    for (const MelMatrix& s : segments) {
        if (cancel && cancel->load()) return {};
        const torch::Tensor map = segmentSaliency(net, s, card, out.classIndex, options.method);
        const float* src = map.data_ptr<float>();
        for (int b = 0; b < s.nMels; ++b)
            std::copy_n(src + std::size_t(b) * s.frames, s.frames,
                        out.values.begin() + std::ptrdiff_t(std::size_t(b) * out.frames + first));
        first += s.frames;
    }
    // One scale for all segments, so a quiet segment does not look as salient as the decisive one.
    const float peak = *std::max_element(out.values.begin(), out.values.end());
    if (peak > 0)
        for (float& v : out.values) v /= peak;
    out.hopSeconds = double(card.features.hopLength) / card.features.sampleRate;
    return out;
}

SaliencyMap explainAudio(const Classifier& model, const AudioBuffer& audio, const SaliencyOptions& options,
                         const std::atomic<bool>* cancel)
{
    if (audio.samples.empty()) throw std::invalid_argument("empty audio");
    if (audio.sampleRate <= 0) throw std::invalid_argument("audio has no sample rate");
    const FeatureConfig& config = model.featureConfig();
    const LogMelExtractor extractor(config);
    if (audio.sampleRate == config.sampleRate)
        return explainLogMel(model, extractor.logMel(audio.samples.data(), audio.samples.size()), options, cancel);
    const auto s = resample(audio.samples.data(), audio.samples.size(), audio.sampleRate, config.sampleRate);
    return explainLogMel(model, extractor.logMel(s.data(), s.size()), options, cancel);
}

} // namespace emoscope
