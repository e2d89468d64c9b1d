// SPDX-License-Identifier: GPL-3.0-or-later
// The emoscope-cli subcommands. The executable holds the commands that need no model (info, spectrogram) and
// links no libtorch, so they start in milliseconds. The others live in two private modules (see ModelModule.h),
// loaded only when one of their commands runs: libemoscope-cli-infer.so (classify, timeline; app/cli/infer/, the
// torch-free core) and libemoscope-cli-model.so (evaluate, train, report, personalize, calibrate; app/cli/model/, libtorch).
// To add a command: write <Name>Command.cpp here (no model) or in infer/ or model/ (declared in that folder's
// *Commands.h and listed in its *ModuleEntry.cpp), and add one row below.
#pragma once
#include "ModelModule.h"
#include <string>
#include <vector>

namespace emoscope::cli {

// args are the words after the subcommand name. Returns the process exit code (see CliCommon.h).
using CommandFunction = int (*)(const std::vector<std::string>& args);

struct Command {
    const char* name;
    const char* summary; // one line for --help
    CommandFunction run;  // nullptr: a module's command
    const char* module;   // the module that runs it when run is nullptr
};

int runInfo(const std::vector<std::string>& args);
int runSpectrogram(const std::vector<std::string>& args);

// The dispatch table, in --help order.
inline const std::vector<Command>& commands()
{
    static const std::vector<Command> table{
        {"info", "show format, encoding, sample rate, channels, frames and duration of an audio file", &runInfo, nullptr},
        {"spectrogram", "write the log-mel spectrogram of an audio file as float32 (and optionally a PNG)",
         &runSpectrogram, nullptr},
        {"classify", "classify audio files with a model (one JSON line per file with --json)", nullptr, kInferModule},
        {"timeline", "classify sliding windows over a long recording", nullptr, kInferModule},
        {"evaluate", "score a model on a labelled dataset (accuracy, UAR, confusion, misclassified)", nullptr,
         kModelModule},
        {"train", "train or fine-tune a model on labelled datasets", nullptr, kModelModule},
        {"report", "leave-speakers-out generalisation report of a training recipe (clean and degraded audio)",
         nullptr, kModelModule},
        {"personalize", "adapt a model to one speaker's labelled takes (before/after on held-back takes)", nullptr,
         kModelModule},
        {"calibrate", "refit a model's temperature and \"uncertain\" threshold on named speakers' clips", nullptr,
         kModelModule},
    };
    return table;
}

} // namespace emoscope::cli
