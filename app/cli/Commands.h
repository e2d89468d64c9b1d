// SPDX-License-Identifier: GPL-3.0-or-later
// The emoscope-cli subcommands. To add one: write app/cli/<Name>Command.cpp defining
// `int runName(const std::vector<std::string>& args)`, declare it below and add one row to commands().
#pragma once
#include <string>
#include <vector>

namespace emoscope::cli {

// args are the words after the subcommand name. Returns the process exit code (see CliCommon.h).
using CommandFunction = int (*)(const std::vector<std::string>& args);

struct Command {
    const char* name;
    const char* summary; // one line for --help
    CommandFunction run;
};

int runInfo(const std::vector<std::string>& args);
int runSpectrogram(const std::vector<std::string>& args);
int runClassify(const std::vector<std::string>& args);
int runTimeline(const std::vector<std::string>& args);
int runEvaluate(const std::vector<std::string>& args);
int runTrain(const std::vector<std::string>& args);
int runReport(const std::vector<std::string>& args);

// The dispatch table, in --help order.
inline const std::vector<Command>& commands()
{
    static const std::vector<Command> table{
        {"info", "show format, encoding, sample rate, channels, frames and duration of an audio file", &runInfo},
        {"spectrogram", "write the log-mel spectrogram of an audio file as float32 (and optionally a PNG)",
         &runSpectrogram},
        {"classify", "classify audio files with a model (one JSON line per file with --json)", &runClassify},
        {"timeline", "classify sliding windows over a long recording", &runTimeline},
        {"evaluate", "score a model on a labelled dataset (accuracy, UAR, confusion, misclassified)", &runEvaluate},
        {"train", "train or fine-tune a model on labelled datasets", &runTrain},
        {"report", "leave-speakers-out generalisation report of a training recipe (clean and degraded audio)",
         &runReport},
    };
    return table;
}

} // namespace emoscope::cli
