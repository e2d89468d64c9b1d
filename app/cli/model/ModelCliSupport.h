// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the model commands (classify, timeline, evaluate, train).
#pragma once
#include "infer/Classifier.h"
#include "train/Dataset.h"
#include "train/TrainOptions.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace emoscope::cli {

// Removes every "--name VALUE" / "--name=VALUE" from args and returns the values (options that may repeat,
// which ArgParser keeps only once). A missing value is a UsageError.
std::vector<std::string> takeRepeated(std::vector<std::string>& args, const std::string& name);

// --model or the default model (findDefaultModel); loads it. Unusable models become InputError (exit 2).
std::shared_ptr<const Classifier> loadModelForCli(const std::optional<std::string>& modelOption);

// Scans and combines the --data folders; a missing/unreadable folder becomes InputError naming it.
// Skipped files are reported on stderr (one summary line, plus each file when verbose).
Dataset loadDatasetsForCli(const std::vector<std::string>& dirs);

class ArgParser;

// --jobs N (files at once, 1..maxUserThreads(); default min(cores, 2)) and --threads N (libtorch intra-op threads
// per worker; default 1). Sets the compute threads and returns the number of file workers for `files` files. Call it
// after parsing, before loading anything.
int setUpBatchThreads(const ArgParser& parser, std::size_t files);

// TrainOptions::validate(), with the refused option named as on the command line ("--lr must be in ...").
void validateTrainOptionsForCli(const TrainOptions& options);

// The command-line option that sets a TrainOptions field (e.g. TrainOption::LearningRate -> "--lr").
const char* cliOptionName(TrainOption option);

// "emoscope-cli <command> <args...>" for provenance.
std::string commandLine(const std::string& command, const std::vector<std::string>& args);

} // namespace emoscope::cli
