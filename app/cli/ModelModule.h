// SPDX-License-Identifier: GPL-3.0-or-later
// Loads the private module that holds the model commands (libemoscope-cli-model.so) and runs one of them.
// Why a module: libtorch takes most of a second to load, and info / spectrogram / --help / --version need none of
// it, so the executable links only the torch-free core layers and dlopens the model commands on demand.
#pragma once
#include <string>
#include <vector>

namespace emoscope::cli {

// The C entry point the module exports: runs `command` with its arguments, returns the exit code.
// The version travels with the call so an executable never runs a module of another build.
using ModelEntryFunction = int (*)(const char* version, const char* command, int argc, const char* const* argv);
inline constexpr const char* kModelEntrySymbol = "emoscope_cli_model_run";
inline constexpr const char* kModelModuleName = "libemoscope-cli-model.so";

// Where the module is looked for, in order: $EMOSCOPE_CLI_MODEL_MODULE, next to the executable (build tree),
// then EMOSCOPE_CLI_MODULE_RELDIR relative to the executable's folder (install tree, e.g.
// ../lib/x86_64-linux-gnu/emoscope).
std::vector<std::string> modelModuleCandidates();

// Loads the module and runs the command; when the module cannot be loaded, one line on stderr and exit code 1.
int runModelCommand(const std::string& command, const std::vector<std::string>& args);

} // namespace emoscope::cli
