// SPDX-License-Identifier: GPL-3.0-or-later
// Cost of each standard degradation on one 2.5 s clip at 16 kHz (the training crop), per call: thread CPU time
// (what a data-loader thread spends, whatever else runs on the machine) and wall time.
// Usage: bench_degradation [RUNS]   (default 100; clips from EMOSCOPE_SHARED_DIR/data/tess)
#include "audio/AudioDecoder.h"
#include "audio/Degradation.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

using namespace emoscope;

namespace {

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

double wallMs()
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// A TESS clip tiled to n samples at 16 kHz.
std::vector<float> clip(const std::string& path, std::size_t n)
{
    DecodeOptions o;
    o.targetSampleRate = 16000;
    const std::vector<float> s = loadAudio(path, o).samples;
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i)
        x[i] = s[i % s.size()];
    return x;
}

} // namespace

int main(int argc, char** argv)
{
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 100;
    const char* env = std::getenv("EMOSCOPE_SHARED_DIR");
    const std::string tess = std::string(env && *env ? env : EMOSCOPE_SHARED_DIR) + "/data/tess/";
    const std::size_t n = 40000; // 2.5 s at 16 kHz
    std::vector<float> x, t1, t2, t3, t4;
    try {
        x = clip(tess + "OAF_angry/OAF_back_angry.flac", n);
        t1 = clip(tess + "YAF_sad/YAF_back_sad.flac", n);
        t2 = clip(tess + "OAF_happy/OAF_bar_happy.flac", n);
        t3 = clip(tess + "YAF_fear/YAF_base_fear.flac", n);
        t4 = clip(tess + "OAF_neutral/OAF_bath_neutral.flac", n);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_degradation: %s\n", e.what());
        return 1;
    }
    const std::vector<const std::vector<float>*> pool{&t1, &t2, &t3, &t4};
    std::printf("%d runs per condition, 2.5 s at 16 kHz, one thread; median per call\n", runs);
    std::printf("%-14s %10s %10s\n", "condition", "cpu ms", "wall ms");
    for (const DegradationCondition& c : standardConditions()) {
        applyCondition(c, x, 16000, 0, pool); // warm-up: FFT plans, codec delay probes
        std::vector<double> cpu, wall;
        for (int r = 0; r < runs; ++r) {
            const double c0 = threadCpuMs(), w0 = wallMs();
            const std::vector<float> y = applyCondition(c, x, 16000, std::uint64_t(r), pool);
            cpu.push_back(threadCpuMs() - c0);
            wall.push_back(wallMs() - w0);
            if (y.size() != x.size())
                return 1;
        }
        std::printf("%-14s %10.3f %10.3f\n", c.name.c_str(), median(cpu), median(wall));
    }
    return 0;
}
