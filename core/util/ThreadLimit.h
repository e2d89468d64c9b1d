// SPDX-License-Identifier: GPL-3.0-or-later
// The one upper bound on thread counts a user may ask for (--threads, --jobs, TrainOptions::threads).
#pragma once

namespace emoscope {

// 4 x the cores, at most 64 (and at least 4): more threads than that only add switching and memory. An
// unbounded count once meant 22k threads and 2.6 GB for `--threads 100000`.
int maxUserThreads();

// The number of cores (at least 1).
int coreCount();

} // namespace emoscope
