// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to core: the one worker loop behind batch classification, feature extraction and dataset probing.
#pragma once
#include <functional>

namespace emoscope {

// Calls body(i) for every i in [0, total) on min(workers, total) threads, handing out indices in order.
// progress(done, total), if set, is called on the calling thread only (so callers need no locking), after each
// completion. body must not throw: report failures through its own per-index results.
void parallelFor(int total, int workers, const std::function<void(int index)>& body,
                 const std::function<void(int done, int total)>& progress = {});

} // namespace emoscope
