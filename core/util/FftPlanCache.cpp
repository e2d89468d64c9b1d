// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/FftPlanCache.h"

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

namespace emoscope {

namespace {
// The registry is deliberately never destroyed: worker threads (a Qt thread pool, a training thread) may still
// run an FFT while static destructors run at exit, and a destroyed map or mutex would crash them.
struct PlanRegistry {
    std::mutex mutex; // one for all planning: FFTW's planner is not thread-safe, whatever the plan kind
    std::map<int, fftwf_plan> r2c, c2r;
};

PlanRegistry& registry()
{
    static PlanRegistry* r = new PlanRegistry;
    return *r;
}
} // namespace

fftwf_plan FftPlanCache::r2c(int n)
{
    PlanRegistry& reg = registry();
    std::lock_guard<std::mutex> lock(reg.mutex);
    auto& plans = reg.r2c;
    if (const auto it = plans.find(n); it != plans.end())
        return it->second;
    // Planned on scratch arrays; executions use the caller's equally aligned buffers. ESTIMATE, not MEASURE:
    // MEASURE cost ~140 ms at every process start (each CLI call) for no measurable gain (the FFT is ~10% of the
    // mel stage), and it may pick a different algorithm per run, so results would differ in the last bits.
    FftwBuffer<float> in(static_cast<std::size_t>(n));
    FftwBuffer<fftwf_complex> out(std::size_t(n) / 2 + 1);
    fftwf_plan plan = fftwf_plan_dft_r2c_1d(n, in.data(), out.data(), FFTW_ESTIMATE);
    if (!plan)
        throw std::runtime_error("FFTW could not plan a real FFT of size " + std::to_string(n));
    plans.emplace(n, plan);
    return plan;
}

fftwf_plan FftPlanCache::c2r(int n)
{
    PlanRegistry& reg = registry();
    std::lock_guard<std::mutex> lock(reg.mutex);
    auto& plans = reg.c2r;
    if (const auto it = plans.find(n); it != plans.end())
        return it->second;
    FftwBuffer<fftwf_complex> in(static_cast<std::size_t>(n) / 2 + 1);
    FftwBuffer<float> out(static_cast<std::size_t>(n));
    fftwf_plan plan = fftwf_plan_dft_c2r_1d(n, in.data(), out.data(), FFTW_ESTIMATE);
    if (!plan)
        throw std::runtime_error("FFTW could not plan an inverse real FFT of size " + std::to_string(n));
    plans.emplace(n, plan);
    return plan;
}

} // namespace emoscope
