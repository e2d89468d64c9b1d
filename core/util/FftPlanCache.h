// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to core (not part of the public API): FFTW plans shared by the whole process.
#pragma once
#include <fftw3.h>

#include <complex>
#include <cstddef>
#include <memory>
#include <new>

namespace emoscope {

// FFTW planning is not thread-safe, but executing one plan on different arrays is (fftwf_execute_dft_r2c).
// So each size is planned once, under a mutex, and every caller brings its own aligned buffers.
class FftPlanCache {
public:
    // The r2c plan for size n (input n floats, output n/2+1 complex), created on first use. Never destroyed.
    static fftwf_plan r2c(int n);
    // The c2r plan for size n (input n/2+1 complex, output n floats; the input is overwritten). Never destroyed.
    static fftwf_plan c2r(int n);
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
