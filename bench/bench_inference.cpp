// SPDX-License-Identifier: GPL-3.0-or-later
// Inference latency after the model is loaded: per clip, the log-mel and the forward pass separately and together,
// over 200 TESS clips, with 2 compute threads. Usage: bench_inference [MODEL] [THREADS]
#include "audio/AudioDecoder.h"
#include "dsp/LogMelExtractor.h"
#include "infer/Classifier.h"
#include "train/Dataset.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "BenchTiming.h"

using namespace emoscope;
using bench::Clock;
using bench::ms;

int main(int argc, char** argv)
try {
    if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
        std::printf("Usage: bench_inference [MODEL] [THREADS]\n");
        return 0;
    }
    const std::string modelPath = argc > 1 ? argv[1] : Classifier::findDefaultModel(argv[0]);
    const int threads = argc > 2 ? std::atoi(argv[2]) : 2;
    if (modelPath.empty()) {
        std::fprintf(stderr, "no model found; pass one as the first argument\n");
        return 2;
    }
    setComputeThreads(threads);
    const auto t0 = Clock::now();
    const auto model = Classifier::load(modelPath);
    std::printf("model %s loaded in %.1f ms; %d compute thread(s)\n", modelPath.c_str(), ms(t0, Clock::now()), threads);

    ScanOptions scan;
    scan.probeFiles = false;
    const Dataset tess = scanDataset(std::string(EMOSCOPE_SHARED_DIR) + "/data/tess", scan);
    std::vector<AudioBuffer> clips;
    for (std::size_t i = 0; i < tess.clips.size() && clips.size() < 200; i += 14) clips.push_back(loadAudio(tess.clips[i].path));
    double seconds = 0;
    for (const auto& c : clips) seconds += c.durationSeconds();
    std::printf("%zu TESS clips, mean %.2f s\n", clips.size(), seconds / double(clips.size()));

    const LogMelExtractor extractor(model->featureConfig());
    for (int i = 0; i < 10; ++i) model->classify(clips[std::size_t(i)]); // warm-up (allocator, thread pool)
    std::vector<double> feature, forward, total;
    for (const auto& c : clips) {
        const auto a = Clock::now();
        const MelMatrix m = extractor.logMel(c.samples.data(), c.samples.size());
        const auto b = Clock::now();
        model->classifyLogMel(m);
        const auto d = Clock::now();
        model->classify(c);
        const auto e = Clock::now();
        feature.push_back(ms(a, b));
        forward.push_back(ms(b, d));
        total.push_back(ms(d, e));
    }
    bench::report("log-mel", feature);
    bench::report("forward (+softmax)", forward);
    bench::report("classify (both)", total);
    return 0;
} catch (const std::exception& e) { // a bad model file or a missing TESS folder: say which, do not abort
    std::fprintf(stderr, "bench_inference: %s\n", e.what());
    return 2;
}
