// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/FftPlanCache.h"
#include "util/LruCache.h"

#include <mutex>
#include <stdexcept>
#include <string>

namespace emoscope {

namespace {
// The registry is deliberately never destroyed: worker threads (a Qt thread pool, a training thread) may still
// run an FFT while static destructors run at exit, and a destroyed map or mutex would crash them.
struct PlanRegistry {
    std::mutex mutex; // one for all planning and destroying: FFTW's planner is not thread-safe
    LruCache<int, const FftPlan> r2c{FftPlanCache::kCapacity}, c2r{FftPlanCache::kCapacity};
};

PlanRegistry& registry()
{
    static PlanRegistry* r = new PlanRegistry;
    return *r;
}

template <typename Make>
FftPlanRef cached(LruCache<int, const FftPlan>& cache, int n, Make make)
{
    std::vector<std::shared_ptr<const FftPlan>> evicted; // released after the lock: ~FftPlan takes it
    std::lock_guard<std::mutex> lock(registry().mutex);
    if (auto hit = cache.find(n))
        return FftPlanRef(hit);
    if (n < 1)
        throw std::invalid_argument("FFT size must be positive (got " + std::to_string(n) + ")");
    std::shared_ptr<const FftPlan> plan = std::make_shared<FftPlan>(make());
    evicted = cache.insert(n, plan);
    return FftPlanRef(plan);
}
} // namespace

FftPlan::~FftPlan()
{
    std::lock_guard<std::mutex> lock(registry().mutex);
    fftwf_destroy_plan(plan_);
}

FftPlanRef FftPlanCache::r2c(int n)
{
    return cached(registry().r2c, n, [n] {
        // Planned on scratch arrays; executions use the caller's equally aligned buffers. ESTIMATE, not MEASURE:
        // MEASURE cost ~140 ms at every process start (each CLI call) for no measurable gain (the FFT is ~10% of the
        // mel stage), and it may pick a different algorithm per run, so results would differ in the last bits.
        FftwBuffer<float> in(static_cast<std::size_t>(n));
        FftwBuffer<fftwf_complex> out(std::size_t(n) / 2 + 1);
        fftwf_plan plan = fftwf_plan_dft_r2c_1d(n, in.data(), out.data(), FFTW_ESTIMATE);
        if (!plan)
            throw std::runtime_error("FFTW could not plan a real FFT of size " + std::to_string(n));
        return plan;
    });
}

FftPlanRef FftPlanCache::c2r(int n)
{
    return cached(registry().c2r, n, [n] {
        FftwBuffer<fftwf_complex> in(static_cast<std::size_t>(n) / 2 + 1);
        FftwBuffer<float> out(static_cast<std::size_t>(n));
        fftwf_plan plan = fftwf_plan_dft_c2r_1d(n, in.data(), out.data(), FFTW_ESTIMATE);
        if (!plan)
            throw std::runtime_error("FFTW could not plan an inverse real FFT of size " + std::to_string(n));
        return plan;
    });
}

std::size_t FftPlanCache::size()
{
    std::lock_guard<std::mutex> lock(registry().mutex);
    return registry().r2c.size() + registry().c2r.size();
}

} // namespace emoscope
