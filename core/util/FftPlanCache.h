// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to core (not part of the public API): FFTW plans shared by the whole process.
#pragma once
#include <fftw3.h>

#include <complex>
#include <cstddef>
#include <memory>
#include <new>

namespace emoscope {

// One FFTW plan, destroyed (under the planner's lock) when the last FftPlanRef to it goes.
class FftPlan {
public:
    explicit FftPlan(fftwf_plan p) : plan_(p) {}
    ~FftPlan();
    FftPlan(const FftPlan&) = delete;
    FftPlan& operator=(const FftPlan&) = delete;
    fftwf_plan get() const { return plan_; }

private:
    fftwf_plan plan_;
};

// Shared ownership of a cached plan; converts to fftwf_plan, so `fftwf_execute_dft_r2c(FftPlanCache::r2c(n), ...)`
// keeps the plan alive for the whole call even if the cache evicts it meanwhile. Keep the ref (not the raw plan)
// in anything that outlives one expression.
class FftPlanRef {
public:
    FftPlanRef() = default;
    explicit FftPlanRef(std::shared_ptr<const FftPlan> p) : p_(std::move(p)) {}
    operator fftwf_plan() const { return p_ ? p_->get() : nullptr; }

private:
    std::shared_ptr<const FftPlan> p_;
};

// FFTW planning is not thread-safe, but executing one plan on different arrays is (fftwf_execute_dft_r2c).
// So each size is planned under a mutex, and every caller brings its own aligned buffers. The cache keeps the
// kCapacity most recently used plans of each kind (LRU): files at many odd rates must not grow memory without
// bound in the long-running GUI; plans still in use elsewhere live on through their FftPlanRef.
class FftPlanCache {
public:
    static constexpr std::size_t kCapacity = 16;
    // The r2c plan for size n (input n floats, output n/2+1 complex).
    static FftPlanRef r2c(int n);
    // The c2r plan for size n (input n/2+1 complex, output n floats; the input is overwritten).
    static FftPlanRef c2r(int n);
    // Plans cached now (both kinds), for tests.
    static std::size_t size();
};

// SIMD-aligned buffer from fftwf_malloc, so any cached plan may run on it.
template <typename T>
struct FftwBuffer {
    struct Free {
        void operator()(T* p) const { fftwf_free(p); }
    };
    std::unique_ptr<T, Free> ptr;
    std::size_t size = 0;
    explicit FftwBuffer(std::size_t n = 0) { resize(n); }
    void resize(std::size_t n)
    {
        if (n == size)
            return;
        ptr.reset(n ? static_cast<T*>(fftwf_malloc(sizeof(T) * n)) : nullptr);
        if (n && !ptr)
            throw std::bad_alloc();
        size = n;
    }
    T* data() const { return ptr.get(); }
};

} // namespace emoscope
