// SPDX-License-Identifier: GPL-3.0-or-later
// Timing helpers the benchmarks share: milliseconds between two clock readings, and one line of median/p90/max.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace bench {
using Clock = std::chrono::steady_clock;

inline double ms(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double, std::milli>(b - a).count();
}

// "<what>  median … ms   p90 … ms   max … ms", the label padded to `width`.
inline void report(const char* what, std::vector<double> v, int width = 22)
{
    if (v.empty())
        return;
    std::sort(v.begin(), v.end());
    const auto q = [&](double p) { return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))]; };
    std::printf("%-*s median %8.2f ms   p90 %8.2f ms   max %8.2f ms\n", width, what, q(0.5), q(0.9), v.back());
}
} // namespace bench
