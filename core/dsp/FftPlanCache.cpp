// SPDX-License-Identifier: GPL-3.0-or-later
#include "dsp/FftPlanCache.h"

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

namespace emoscope {

fftwf_plan FftPlanCache::r2c(int n)
{
    static std::mutex mutex;
    static std::map<int, fftwf_plan> plans;
    std::lock_guard<std::mutex> lock(mutex);
    if (const auto it = plans.find(n); it != plans.end())
        return it->second;
    // Planned on scratch arrays (MEASURE overwrites them); executions use the caller's equally aligned buffers.
    // MEASURE costs some tens of ms once per size and gives a faster transform than ESTIMATE.
    FftwBuffer<float> in(static_cast<std::size_t>(n));
    FftwBuffer<fftwf_complex> out(std::size_t(n) / 2 + 1);
    fftwf_plan plan = fftwf_plan_dft_r2c_1d(n, in.data(), out.data(), FFTW_MEASURE);
    if (!plan)
        throw std::runtime_error("FFTW could not plan a real FFT of size " + std::to_string(n));
    plans.emplace(n, plan);
    return plan;
}

} // namespace emoscope
