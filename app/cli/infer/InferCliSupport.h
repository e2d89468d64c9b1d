// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers of the commands that run a model (classify, timeline here; evaluate, report and personalize in ../model/).
// Torch-free: they live in libemoscope-cli-infer.so, which never loads libtorch.
#pragma once
#include "CliCommon.h"
#include "infer/Classifier.h"
#include <memory>
#include <optional>
#include <string>

namespace emoscope::cli {

// --model or the default model (findDefaultModel); loads it. Unusable models become InputError (exit 2).
std::shared_ptr<const Classifier> loadModelForCli(const std::optional<std::string>& modelOption);

// --jobs N (files at once, 1..maxUserThreads(); default min(cores, 2)) and --threads N (BLAS threads per worker;
// default 1). Sets the compute threads and returns the number of file workers for `files` files. Call it after
// parsing, before loading anything.
int setUpBatchThreads(const ArgParser& parser, std::size_t files);

} // namespace emoscope::cli
