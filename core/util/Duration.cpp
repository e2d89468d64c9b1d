// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/Duration.h"

#include <cmath>
#include <cstdio>

namespace emoscope {

std::string formatDuration(double seconds)
{
    const long long s = std::isfinite(seconds) && seconds > 0 ? (long long)std::llround(seconds) : 0;
    char text[48];
    if (s >= 3600)
        std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(text, sizeof text, "%lld:%02lld", s / 60, s % 60);
    return text;
}

} // namespace emoscope
