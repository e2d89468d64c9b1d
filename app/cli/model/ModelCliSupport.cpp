// SPDX-License-Identifier: GPL-3.0-or-later
#include "ModelCliSupport.h"
#include "CliCommon.h"
#include "model/ModelError.h"
#include <algorithm>
#include <csignal>
#include <iostream>
#include <unistd.h>

namespace emoscope::cli {

std::vector<std::string> takeRepeated(std::vector<std::string>& args, const std::string& name)
{
    std::vector<std::string> values, rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == name) {
            if (i + 1 >= args.size()) throw UsageError(name + " needs a value");
            values.push_back(args[++i]);
        } else if (a.rfind(name + "=", 0) == 0) {
            values.push_back(a.substr(name.size() + 1));
        } else {
            rest.push_back(a);
        }
    }
    args = std::move(rest);
    return values;
}

Dataset loadDatasetsForCli(const std::vector<std::string>& dirs)
{
    if (dirs.empty()) throw UsageError("--data DIR is required");
    std::vector<Dataset> parts;
    for (const auto& d : dirs) {
        try {
            parts.push_back(scanDataset(d));
        } catch (const std::invalid_argument& e) {
            throw InputError(e.what());
        } catch (const std::runtime_error& e) {
            throw InputError(e.what());
        }
        if (parts.back().clips.empty()) throw InputError(d + ": no labelled audio clips found");
    }
    Dataset ds = parts.size() == 1 ? std::move(parts.front()) : combineDatasets(parts);
    if (!ds.skipped.empty()) {
        std::cerr << "skipped " << ds.skipped.size() << " file(s):";
        for (std::size_t i = 0; i < ds.skipped.size() && i < 5; ++i)
            std::cerr << (i ? "; " : " ") << ds.skipped[i].path << ": " << ds.skipped[i].reason;
        std::cerr << (ds.skipped.size() > 5 ? "; ..." : "") << std::endl;
    }
    return ds;
}

const char* cliOptionName(TrainOption option)
{
    switch (option) {
    case TrainOption::Epochs: return "--epochs";
    case TrainOption::BatchSize: return "--batch";
    case TrainOption::LearningRate: return "--lr";
    case TrainOption::WeightDecay: return "--weight-decay";
    case TrainOption::LabelSmoothing: return "--label-smoothing";
    case TrainOption::ValidationFraction: return "--val-fraction";
    case TrainOption::ValidationSpeakers: return "--val-speakers";
    case TrainOption::WarpRange: return "--warp-range";
    case TrainOption::Threads: return "--threads";
    case TrainOption::Widths: return "--widths";
    case TrainOption::Blocks: return "--blocks";
    case TrainOption::Dropout: return "--dropout";
    case TrainOption::Crop: return "--crop";
    case TrainOption::FromModel: return "--from";
    case TrainOption::Checkpoint: return "--resume";
    case TrainOption::Features: return "--recipe";
    case TrainOption::WaveAugment: return "--recipe";
    case TrainOption::WeightAverage: return "--recipe";
    case TrainOption::Mixup: return "--recipe";
    case TrainOption::Calibration: return "--recipe";
    case TrainOption::Adversary: return "--recipe";
    }
    return "an option";
}

void validateTrainOptionsForCli(const TrainOptions& options)
{
    try {
        options.validate();
    } catch (const TrainOptionsError& e) {
        if (e.option() == TrainOption::Checkpoint)
            throw UsageError("--resume needs --checkpoint C");
        throw UsageError(std::string(cliOptionName(e.option())) + " " + e.reason());
    }
}

std::string commandLine(const std::string& command, const std::vector<std::string>& args)
{
    std::string s = "emoscope-cli " + command;
    for (const auto& a : args) {
        const bool quote = a.find_first_of(" \t'\"$") != std::string::npos || a.empty();
        s += ' ';
        s += quote ? "'" + a + "'" : a;
    }
    return s;
}

void refuseStrayArguments(const ArgParser& parser)
{
    if (!parser.positionals().empty()) throw UsageError("unexpected argument '" + parser.positionals().front() + "'");
}

std::vector<std::string> takeDataDirs(std::vector<std::string>& args)
{
    auto dirs = takeRepeated(args, "--data");
    if (dirs.empty()) throw UsageError("--data DIR is required");
    return dirs;
}

TrainCallbacks stderrProgressCallbacks()
{
    TrainCallbacks cb;
    const bool tty = isatty(STDERR_FILENO);
    cb.onPrepare = [tty](const std::string& stage, int done, int total) {
        if (tty && (done % 50 == 0 || done == total))
            std::cerr << "\r" << stage << " " << done << "/" << total << std::flush;
        if (done == total) std::cerr << (tty ? "\n" : "") << stage << ": " << total << " done" << std::endl;
    };
    cb.onLog = [](const std::string& s) { std::cerr << s << std::endl; };
    return cb;
}

namespace {
// A lock-free atomic is what a signal handler may touch.
std::atomic<bool> g_sigintCancel{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void cancelOnSigint(int)
{
    g_sigintCancel.store(true);
    std::signal(SIGINT, SIG_DFL); // a second Ctrl+C kills at once
}
} // namespace

CancelOnSigint::CancelOnSigint()
{
    g_sigintCancel.store(false);
    previous_ = std::signal(SIGINT, cancelOnSigint);
}

CancelOnSigint::~CancelOnSigint()
{
    std::signal(SIGINT, previous_ == SIG_ERR ? SIG_DFL : previous_);
}

const std::atomic<bool>* CancelOnSigint::flag() const
{
    return &g_sigintCancel;
}

} // namespace emoscope::cli
