// SPDX-License-Identifier: GPL-3.0-or-later
// The commands that only run a model: they live in the private module libemoscope-cli-infer.so, which links the
// torch-free core layers (the network runs in NativeResNet); the executable (../Commands.h) loads it only when one
// of these runs (InferModuleEntry.cpp).
#pragma once
#include <string>
#include <vector>

namespace emoscope::cli {

int runClassify(const std::vector<std::string>& args);
int runTimeline(const std::vector<std::string>& args);

} // namespace emoscope::cli
