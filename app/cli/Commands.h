// SPDX-License-Identifier: GPL-3.0-or-later
// The emoscope-cli subcommands. The executable holds the commands that need no model (info, spectrogram) and
// links no libtorch, so they start in milliseconds; the model commands live in the private module
// libemoscope-cli-model.so (app/cli/model/, see ModelModule.h), loaded only when one of them runs.
// To add a command: write <Name>Command.cpp here (no model) or in model/ (declared in model/ModelCommands.h and
// listed in its table there), and add one row below.
#pragma once
#include <string>
#include <vector>

namespace emoscope::cli {

// args are the words after the subcommand name. Returns the process exit code (see CliCommon.h).
using CommandFunction = int (*)(const std::vector<std::string>& args);

struct Command {
    const char* name;
    const char* summary; // one line for --help
    CommandFunction run; // nullptr: a model command, run by the model module
};

int runInfo(const std::vector<std::string>& args);
int runSpectrogram(const std::vector<std::string>& args);

// The dispatch table, in --help order.
inline const std::vector<Command>& commands()
{
    static const std::vector<Command> table{
        {"info", "show format, encoding, sample rate, channels, frames and duration of an audio file", &runInfo},
        {"spectrogram", "write the log-mel spectrogram of an audio file as float32 (and optionally a PNG)",
         &runSpectrogram},
        {"classify", "classify audio files with a model (one JSON line per file with --json)", nullptr},
        {"timeline", "classify sliding windows over a long recording", nullptr},
        {"evaluate", "score a model on a labelled dataset (accuracy, UAR, confusion, misclassified)", nullptr},
        {"train", "train or fine-tune a model on labelled datasets", nullptr},
        {"report", "leave-speakers-out generalisation report of a training recipe (clean and degraded audio)",
         nullptr},
        {"personalize", "adapt a model to one speaker's labelled takes (before/after on held-back takes)", nullptr},
    };
    return table;
}

} // namespace emoscope::cli
