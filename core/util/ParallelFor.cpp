// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/ParallelFor.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace emoscope {

void parallelFor(int total, int workers, const std::function<void(int)>& body,
                 const std::function<void(int, int)>& progress)
{
    if (total <= 0)
        return;
    std::atomic<int> next{0};
    std::mutex mutex;
    std::condition_variable cv;
    int done = 0;
    auto work = [&] {
        for (int i = next.fetch_add(1); i < total; i = next.fetch_add(1)) {
            body(i);
            {
                std::lock_guard lock(mutex);
                ++done;
            }
            cv.notify_one();
        }
    };
    std::vector<std::thread> pool;
    for (int w = 0; w < std::clamp(workers, 1, total); ++w)
        pool.emplace_back(work);
    for (int reported = 0; reported < total;) {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return done > reported; });
        reported = done;
        lock.unlock();
        if (progress)
            progress(reported, total);
    }
    for (auto& t : pool)
        t.join();
}

} // namespace emoscope
