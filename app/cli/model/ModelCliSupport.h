// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the commands that train or evaluate (evaluate, train, personalize, report); those that only run a
// model (classify, timeline) are in ../infer/InferCliSupport.h, which this includes.
#pragma once
#include "CliCommon.h"
#include "InferCliSupport.h"
#include "infer/Classifier.h"
#include "model/ModelError.h"
#include "train/Dataset.h"
#include "train/TrainOptions.h"
#include "train/Trainer.h"
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace emoscope::cli {

// Removes every "--name VALUE" / "--name=VALUE" from args and returns the values (options that may repeat,
// which ArgParser keeps only once). A missing value is a UsageError.
std::vector<std::string> takeRepeated(std::vector<std::string>& args, const std::string& name);

// Scans and combines the --data folders; a missing/unreadable folder becomes InputError naming it.
// Skipped files are reported on stderr (one summary line, plus each file when verbose).
Dataset loadDatasetsForCli(const std::vector<std::string>& dirs);

// TrainOptions::validate(), with the refused option named as on the command line ("--lr must be in ...").
void validateTrainOptionsForCli(const TrainOptions& options);

// The command-line option that sets a TrainOptions field (e.g. TrainOption::LearningRate -> "--lr").
const char* cliOptionName(TrainOption option);

// "emoscope-cli <command> <args...>" for provenance.
std::string commandLine(const std::string& command, const std::vector<std::string>& args);

// The exit code of a run the user stopped with Ctrl+C (128 + SIGINT, what a shell reports for it).
inline constexpr int ExitCancelled = 130;

// UsageError for the first positional argument of a command that takes none.
void refuseStrayArguments(const ArgParser& parser);

// Removes the repeatable --data DIR options from args and returns them; UsageError when there is none.
std::vector<std::string> takeDataDirs(std::vector<std::string>& args);

// Callbacks that report a long run on stderr: data preparation (a counter on a terminal, one line when a stage is
// done) and the trainer's log lines. Commands add their own epoch/batch lines.
TrainCallbacks stderrProgressCallbacks();

// Runs work (a training or adaptation run), turning a ModelError (an unreadable --from, --model or checkpoint)
// into an InputError, i.e. exit 2.
template <typename Work>
auto modelErrorsAsInput(Work&& work) -> decltype(work());

// While alive, Ctrl+C sets flag() instead of killing the process, so a run can stop cleanly; a second Ctrl+C
// kills at once (the default action is back after the first). The handler that was there before is restored on
// destruction, whatever way the scope is left. One guard at a time (it owns the process's SIGINT).
class CancelOnSigint {
public:
    CancelOnSigint();
    ~CancelOnSigint();
    CancelOnSigint(const CancelOnSigint&) = delete;
    CancelOnSigint& operator=(const CancelOnSigint&) = delete;

    const std::atomic<bool>* flag() const;
    bool cancelled() const { return flag()->load(); }

private:
    void (*previous_)(int);
};

template <typename Work>
auto modelErrorsAsInput(Work&& work) -> decltype(work())
{
    try {
        return work();
    } catch (const ModelError& e) {
        throw InputError(e.what());
    }
}

} // namespace emoscope::cli
