// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/ThreadLimit.h"

#include <algorithm>
#include <thread>

namespace emoscope {

int coreCount()
{
    return int(std::max(1u, std::thread::hardware_concurrency()));
}

int maxUserThreads()
{
    return std::clamp(4 * coreCount(), 4, 64);
}

} // namespace emoscope
