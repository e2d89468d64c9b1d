// SPDX-License-Identifier: GPL-3.0-or-later
// Loads one of the private modules that hold the model commands and runs a command in it.
// Why modules: libtorch takes most of a second to load, and info / spectrogram / --help / --version need none of
// it, so the executable links only the torch-free core layers and dlopens a module on demand. classify and
// timeline are in libemoscope-cli-infer.so, over the torch-free core (the network runs in BLAS), so they do not
// load libtorch either; only the commands that train or evaluate (libemoscope-cli-model.so) do.
#pragma once
#include <string>
#include <vector>

namespace emoscope::cli {

// The C entry point both modules export: runs `command` with its arguments, returns the exit code.
// The version travels with the call so an executable never runs a module of another build.
using ModuleEntryFunction = int (*)(const char* version, const char* command, int argc, const char* const* argv);
inline constexpr const char* kModuleEntrySymbol = "emoscope_cli_module_run";
inline constexpr const char* kInferModule = "libemoscope-cli-infer.so"; // classify, timeline: no libtorch
inline constexpr const char* kModelModule = "libemoscope-cli-model.so"; // evaluate, train, report, personalize, calibrate

// Where a module is looked for, in order: $EMOSCOPE_CLI_MODULE_DIR, next to the executable (build tree), then
// EMOSCOPE_CLI_MODULE_RELDIR relative to the executable's folder (install tree, e.g. ../libexec/emoscope).
std::vector<std::string> moduleCandidates(const std::string& module);

// Loads the module and runs the command; when the module cannot be loaded, one line on stderr and exit code 1.
int runInModule(const char* module, const std::string& command, const std::vector<std::string>& args);

} // namespace emoscope::cli
