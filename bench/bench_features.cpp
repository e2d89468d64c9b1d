// SPDX-License-Identifier: GPL-3.0-or-later
// Decode + resample + log-mel over every TESS clip, on 1 and 2 threads: clips/s and time per stage.
// Usage: bench_features [TESS_DIR] [--threads N[,M...]] [--limit K] [--libsamplerate]
//   default: EMOSCOPE_SHARED_DIR/data/tess (or $EMOSCOPE_TESS_DIR), threads 1,2, resample() (FFT form);
//   --libsamplerate times resampleLibsamplerate (SINC_BEST) instead, for comparison.
#include "audio/AudioDecoder.h"
#include "audio/Resampler.h"
#include "dsp/FeatureConfig.h"
#include "dsp/LogMelExtractor.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace emoscope;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> manifestPaths(const std::string& dir)
{
    std::ifstream in(dir + "/manifest.csv");
    if (!in)
        throw std::runtime_error(dir + "/manifest.csv: cannot open");
    std::vector<std::string> paths;
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line))
        if (!line.empty())
            paths.push_back(dir + "/" + line.substr(0, line.find(',')));
    return paths;
}

struct StageTimes {
    double decode = 0, resample = 0, mel = 0; // seconds, summed over threads
    long long samples = 0, frames = 0;
};

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

using ResampleFn = std::vector<float> (*)(const float*, std::size_t, int, int);

StageTimes runOnce(const std::vector<std::string>& paths, int threads, const LogMelExtractor& extractor,
                   ResampleFn resampleFn, double& wall)
{
    std::atomic<std::size_t> next{0};
    std::vector<StageTimes> perThread(static_cast<std::size_t>(threads));
    const int targetRate = extractor.config().sampleRate;
    const auto t0 = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            StageTimes& st = perThread[std::size_t(t)];
            DecodeOptions raw;
            raw.targetSampleRate = 0;
            for (std::size_t i; (i = next.fetch_add(1)) < paths.size();) {
                const auto a = Clock::now();
                const AudioBuffer audio = loadAudio(paths[i], raw);
                const auto b = Clock::now();
                const std::vector<float> x =
                    resampleFn(audio.samples.data(), audio.samples.size(), audio.sampleRate, targetRate);
                const auto c = Clock::now();
                const MelMatrix m = extractor.logMel(x.data(), x.size());
                const auto d = Clock::now();
                st.decode += seconds(b - a);
                st.resample += seconds(c - b);
                st.mel += seconds(d - c);
                st.samples += static_cast<long long>(audio.samples.size());
                st.frames += m.frames;
            }
        });
    }
    for (auto& th : pool)
        th.join();
    wall = seconds(Clock::now() - t0);
    StageTimes sum;
    for (const auto& st : perThread) {
        sum.decode += st.decode;
        sum.resample += st.resample;
        sum.mel += st.mel;
        sum.samples += st.samples;
        sum.frames += st.frames;
    }
    return sum;
}

} // namespace

int main(int argc, char** argv)
{
    std::string dir = std::string(EMOSCOPE_SHARED_DIR) + "/data/tess";
    if (const char* env = std::getenv("EMOSCOPE_TESS_DIR"))
        dir = env;
    std::vector<int> threadCounts{1, 2};
    std::size_t limit = 0;
    ResampleFn resampleFn = &resample;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--threads" && i + 1 < argc) {
            threadCounts.clear();
            std::stringstream ss(argv[++i]);
            for (std::string item; std::getline(ss, item, ',');)
                threadCounts.push_back(std::stoi(item));
        } else if (a == "--limit" && i + 1 < argc) {
            limit = std::stoul(argv[++i]);
        } else if (a == "--libsamplerate") {
            resampleFn = &resampleLibsamplerate;
        } else if (a == "--help" || a == "-h") {
            std::cout << "Usage: bench_features [TESS_DIR] [--threads 1,2] [--limit K] [--libsamplerate]\n";
            return 0;
        } else {
            dir = a;
        }
    }
    try {
        std::vector<std::string> paths = manifestPaths(dir);
        if (limit > 0 && limit < paths.size())
            paths.resize(limit);
        const LogMelExtractor extractor{FeatureConfig{}}; // plans made here, outside the timed region
        std::printf("bench_features: %zu clips from %s, resampler: %s\n", paths.size(), dir.c_str(),
                    resampleFn == &resample ? "resample (FFT)" : "libsamplerate SINC_BEST");
        for (int threads : threadCounts) {
            double wall = 0;
            const StageTimes st = runOnce(paths, threads, extractor, resampleFn, wall);
            const double n = double(paths.size());
            std::printf("threads=%d  %.1f clips/s  wall %.2f s  per clip (thread time): decode %.3f ms, resample %.3f ms, "
                        "mel %.3f ms  [%lld samples in, %lld frames out]\n",
                        threads, n / wall, wall, 1e3 * st.decode / n, 1e3 * st.resample / n, 1e3 * st.mel / n,
                        st.samples, st.frames);
        }
    } catch (const std::exception& e) {
        std::cerr << "bench_features: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
