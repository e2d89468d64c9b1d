// SPDX-License-Identifier: GPL-3.0-or-later
#include "net/TorchThreads.h"
#include "infer/Classifier.h"
#include <torch/torch.h>
#include <algorithm>
#include <thread>

namespace emoscope {

void setTorchThreads(int threads)
{
    if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
    // Two pools spinning on two cores starve each other on a busy machine, so the BLAS pool gets the same count.
    setComputeThreads(threads);
}

int torchThreads() { return at::get_num_threads(); }

} // namespace emoscope
