// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli personalize --data DIR [--model BASE] --out M [--speaker NAME] [--hold-back N] [--seed S] [--threads N]
#include "CliCommon.h"
#include "ModelCliSupport.h"
#include "ModelCommands.h"
#include "model/ModelError.h"
#include "train/Personalizer.h"
#include <nlohmann/json.hpp>
#include <iostream>

namespace emoscope::cli {

namespace {

const char* kUsage =
    "Usage: emoscope-cli personalize --data DIR [--model BASE] --out M [--speaker NAME] [--hold-back N] [--seed S]\n"
    "                                [--threads N] [--copies N] [--steps N]\n"
    "Adapts a model (default: the bundled one) to one speaker's labelled takes in DIR (a folder per label, or a\n"
    "manifest.csv with path,label[,speaker] - what the app's Personalize tab writes). The head and the last\n"
    "residual block are fine-tuned on augmented copies of the takes; the base model's front end, calibration and\n"
    "no-speech/uncertain rules are kept. --hold-back N (default 1): the last N takes of every label with more than N\n"
    "are not adapted on but scored with the base and the personal model (before/after); 0 = adapt on all.\n"
    "--copies N (default 24) augmented copies per take and --steps N (default 300) optimiser steps set the budget.\n"
    "Prints a JSON summary: {\"out\",\"speaker\",\"takes\",\"held_back\",\"labels\",\"seconds\",\"before\":{accuracy,uar},\n"
    "\"after\":{accuracy,uar}}. Ctrl+C cancels (nothing is written; exit code 130).\n";

} // namespace

int runPersonalize(const std::vector<std::string>& argsIn)
{
    return runCommand("personalize", kUsage, argsIn, [&] {
        ArgParser p({"--data", "--model", "--out", "--speaker", "--hold-back", "--seed", "--threads", "--copies", "--steps"},
                    {});
        p.parse(argsIn);
        refuseStrayArguments(p);
        const auto data = p.value("--data");
        if (!data) throw UsageError("--data DIR is required");
        const auto out = p.value("--out");
        if (!out) throw UsageError("--out M is required");
        const int holdBack = int(p.integerIn("--hold-back", 0, 1000).value_or(1));
        PersonalizeOptions o;
        o.threads = threadsOption(p);
        o.seed = static_cast<unsigned long long>(p.integerIn("--seed", 0, 2147483647).value_or(1));
        o.speaker = p.value("--speaker").value_or("");
        o.copiesPerTake = p.integerIn("--copies", 1, 1000).value_or(o.copiesPerTake);
        o.steps = p.integerIn("--steps", 1, 100000).value_or(o.steps);
        const auto base = loadModelForCli(p.value("--model")); // exit 2 for a missing or unusable model
        o.baseModel = base->path();
        checkOutputPath("--out", *out, {{"--data", *data}, {"--model", o.baseModel}});
        o.command = commandLine("personalize", argsIn);
        const Dataset takes = loadDatasetsForCli({*data});
        const Split split = personalHoldBack(takes, holdBack);
        if (split.train.empty()) throw InputError(*data + ": no takes to adapt on");
        std::cerr << "personalize: " << split.train.size() << " takes to adapt on, " << split.test.size()
                  << " held back" << std::endl;

        Personalizer personalizer(takes, split, o);
        const TrainCallbacks cb = stderrProgressCallbacks();
        const PersonalizeResult r = [&] {
            const CancelOnSigint cancel;
            return modelErrorsAsInput([&] { return personalizer.run(cb, cancel.flag()); });
        }();
        if (r.cancelled) {
            std::cerr << "personalize: cancelled; nothing written" << std::endl;
            return ExitCancelled;
        }
        personalizer.saveModel(*out);
        nlohmann::json summary{{"out", *out},
                               {"base_model", o.baseModel},
                               {"speaker", nlohmann::json::parse(personalizer.card().provenanceJson)["personalized"]["speaker"]},
                               {"takes", r.trainTakes},
                               {"held_back", r.heldBackTakes},
                               {"labels", r.labelsTaught},
                               {"seconds", r.seconds}};
        if (r.heldBackTakes > 0) {
            summary["before"] = {{"accuracy", r.before.accuracy}, {"uar", r.before.uar}};
            summary["after"] = {{"accuracy", r.after.accuracy}, {"uar", r.after.uar}};
        }
        printJsonLine(summary);
        return int(ExitOk);
    });
}

} // namespace emoscope::cli
