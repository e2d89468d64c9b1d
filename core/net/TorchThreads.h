// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace emoscope {

// libtorch's intra-op threads (0 = number of cores), process-wide, and the BLAS pool with them (setComputeThreads):
// training, adaptation and saliency run in libtorch, whose GEMMs are that BLAS's. Debian's libtorch starts with one.
void setTorchThreads(int threads = 0);
int torchThreads();

} // namespace emoscope
