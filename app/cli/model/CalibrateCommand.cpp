// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli calibrate --data DIR [--data DIR2 ...] --split speaker:A[,B...] [--model M] --out OUT
//                        [--objective worst-corpus|nll] [--jobs N] [--threads N]
#include "CliCommon.h"
#include "ModelCliSupport.h"
#include "ModelCommands.h"
#include "train/Recalibrator.h"
#include <nlohmann/json.hpp>
#include <iostream>

namespace emoscope::cli {

namespace {

const char* kUsage =
    "Usage: emoscope-cli calibrate --data DIR [--data DIR2 ...] --split speaker:A[,B...] [--model M] --out OUT\n"
    "                              [--objective worst-corpus|nll] [--jobs N] [--threads N]\n"
    "Refits a model's calibration (temperature and \"uncertain\" threshold) on the labelled clips of the named\n"
    "speakers, without retraining: weights, front end and the no-speech rule are kept. Use speakers the model never\n"
    "trained on (its validation speakers). --objective worst-corpus (default): the temperature whose largest\n"
    "per-corpus ECE is smallest (each --data folder is a corpus), the rule of the bundled model's recipe; nll: the\n"
    "temperature of the smallest negative log-likelihood, every corpus weighing the same. The model (default: the\n"
    "bundled one) is written to OUT with the new calibration and its provenance; OUT may not be the model itself.\n"
    "--jobs N: clips classified at once (default min(cores, 2)); --threads N: compute threads per clip (default 1).\n"
    "Prints a JSON summary: {\"out\",\"clips\",\"speakers\",\"objective\",\"before\":{temperature,uncertain_threshold},\n"
    "\"after\":{...},\"corpora\":{NAME:{clips,accuracy,ece_before,ece_after,confidence_before,confidence_after}}}.\n"
    "Ctrl+C cancels (nothing is written; exit code 130).\n";

} // namespace

int runCalibrate(const std::vector<std::string>& argsIn)
{
    return runCommand("calibrate", kUsage, argsIn, [&] {
        std::vector<std::string> args = argsIn;
        const auto dirs = takeDataDirs(args);
        ArgParser p({"--split", "--model", "--out", "--objective", "--jobs", "--threads"}, {});
        p.parse(args);
        refuseStrayArguments(p);
        const auto out = p.value("--out");
        if (!out) throw UsageError("--out OUT is required");
        const auto splitText = p.value("--split");
        if (!splitText || splitText->rfind("speaker:", 0) != 0)
            throw UsageError("--split speaker:A[,B...] is required (the speakers to calibrate on)");
        const std::string objective = p.value("--objective").value_or("worst-corpus");
        if (objective != "worst-corpus" && objective != "nll")
            throw UsageError("--objective must be worst-corpus or nll, got '" + objective + "'");
        const int jobs = setUpBatchThreads(p, std::size_t(-1));
        const auto model = loadModelForCli(p.value("--model")); // exit 2 for a missing or unusable model
        checkOutputPath("--out", *out, {{"--model", model->path()}});
        const Dataset ds = loadDatasetsForCli(dirs);
        const Split split = resolveSplit(ds, parseSplitSpec(*splitText)).split; // invalid_argument -> exit 2
        if (split.test.empty()) throw InputError("the split '" + *splitText + "' leaves no clips to calibrate on");

        RecalibrateOptions o;
        o.worstCorpus = objective == "worst-corpus";
        o.workers = jobs;
        o.command = commandLine("calibrate", argsIn);
        o.out = *out;
        std::cerr << "calibrate: " << split.test.size() << " clips" << std::endl;
        const RecalibrateResult r = [&] {
            const CancelOnSigint cancel;
            const TrainCallbacks cb = stderrProgressCallbacks();
            return modelErrorsAsInput([&] {
                return recalibrateModel(model->path(), ds, split.test, o,
                                        [&](int done, int total) { if (cb.onPrepare) cb.onPrepare("clips", done, total); },
                                        cancel.flag());
            });
        }();
        if (r.cancelled) {
            std::cerr << "calibrate: cancelled; nothing written" << std::endl;
            return ExitCancelled;
        }
        for (const auto& e : r.errors) std::cerr << "skipped " << e << std::endl;
        nlohmann::json corpora = nlohmann::json::object();
        for (const auto& [name, c] : r.corpora)
            corpora[name] = {{"clips", c.clips}, {"accuracy", c.accuracy}, {"ece_before", c.eceBefore},
                             {"ece_after", c.eceAfter}, {"confidence_before", c.meanConfidenceBefore},
                             {"confidence_after", c.meanConfidenceAfter}};
        printJsonLine({{"out", *out},
                       {"clips", r.fit.clips},
                       {"skipped", r.errors.size()},
                       {"speakers", r.speakers},
                       {"objective", objective},
                       {"before", {{"temperature", r.before.temperature},
                                   {"class_bias", r.before.classBias},
                                   {"uncertain_threshold", r.before.uncertainThreshold}}},
                       {"after", {{"temperature", r.fit.temperature},
                                  {"uncertain_threshold", r.fit.uncertainThreshold},
                                  {"coverage", r.fit.coverage},
                                  {"accepted_accuracy", r.fit.acceptedAccuracy}}},
                       {"corpora", corpora}});
        return int(ExitOk);
    });
}

} // namespace emoscope::cli
