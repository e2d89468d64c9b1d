// SPDX-License-Identifier: GPL-3.0-or-later
// The commands that train or evaluate: they live in the private module libemoscope-cli-model.so, which links
// libtorch; the executable (../Commands.h) loads it only when one of these runs (ModelModuleEntry.cpp).
#pragma once
#include <string>
#include <vector>

namespace emoscope::cli {

int runEvaluate(const std::vector<std::string>& args);
int runTrain(const std::vector<std::string>& args);
int runReport(const std::vector<std::string>& args);
int runPersonalize(const std::vector<std::string>& args);
int runCalibrate(const std::vector<std::string>& args);

} // namespace emoscope::cli
