// SPDX-License-Identifier: GPL-3.0-or-later
// Saliency cost with the bundled model: per TESS clip, the forward pass alone against explainLogMel with each method,
// and one 60 s input (TESS clips joined) explained in segments, with 2 compute threads.
// Usage: bench_saliency [MODEL] [THREADS]
#include "audio/AudioDecoder.h"
#include "dsp/LogMelExtractor.h"
#include "infer/Classifier.h"
#include "net/Saliency.h"
#include "net/TorchThreads.h"
#include "train/Dataset.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "BenchTiming.h"

using namespace emoscope;
using bench::Clock;
using bench::ms;

int main(int argc, char** argv)
{
    const std::string modelPath = argc > 1 ? argv[1] : Classifier::findDefaultModel(argv[0]);
    const int threads = argc > 2 ? std::atoi(argv[2]) : 2;
    if (modelPath.empty()) {
        std::fprintf(stderr, "no model found; pass one as the first argument\n");
        return 2;
    }
    setTorchThreads(threads);
    const auto model = Classifier::load(modelPath);
    ScanOptions scan;
    scan.probeFiles = false;
    const Dataset tess = scanDataset(std::string(EMOSCOPE_SHARED_DIR) + "/data/tess", scan);
    const LogMelExtractor extractor(model->featureConfig());
    DecodeOptions decode;
    decode.targetSampleRate = model->featureConfig().sampleRate;
    std::vector<MelMatrix> mels;
    for (std::size_t i = 0; i < tess.clips.size() && mels.size() < 40; i += tess.clips.size() / 40) {
        const AudioBuffer a = loadAudio(tess.clips[i].path, decode);
        mels.push_back(extractor.logMel(a.samples.data(), a.samples.size()));
    }
    std::vector<double> forward, gradCam, product;
    for (const MelMatrix& m : mels) {
        auto t0 = Clock::now();
        model->classifyLogMel(m);
        auto t1 = Clock::now();
        explainLogMel(*model, m, SaliencyOptions{SaliencyMethod::GradCam});
        auto t2 = Clock::now();
        explainLogMel(*model, m, SaliencyOptions{SaliencyMethod::GradCamTimesInputGradient});
        auto t3 = Clock::now();
        forward.push_back(ms(t0, t1));
        gradCam.push_back(ms(t1, t2));
        product.push_back(ms(t2, t3));
    }
    std::printf("%zu TESS clips, %d threads\n", mels.size(), threads);
    bench::report("forward (classifyLogMel)", forward, 34);
    bench::report("Grad-CAM", gradCam, 34);
    bench::report("Grad-CAM x input gradient", product, 34);

    MelMatrix longInput = mels.front();
    const double hop = double(model->featureConfig().hopLength) / model->featureConfig().sampleRate;
    for (std::size_t i = 1; longInput.frames * hop < 60.0; ++i) longInput.appendFrames(mels[i % mels.size()]);
    const auto t0 = Clock::now();
    const SaliencyMap map = explainLogMel(*model, longInput);
    std::printf("%.0f s input (%d frames, segments of %d): %.0f ms\n", longInput.frames * hop, map.frames,
                SaliencyOptions{}.maxSegmentFrames, ms(t0, Clock::now()));
    return 0;
}
