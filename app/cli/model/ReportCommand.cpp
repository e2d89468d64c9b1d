// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli report --data DIR [--data DIR2 ...] [--recipe robust] [--folds K] ... [--json F] [--markdown F]
#include "CliCommon.h"
#include "ModelCommands.h"
#include "ModelCliSupport.h"
#include "train/GeneralisationReport.h"
#include <iostream>

namespace emoscope::cli {

namespace {

const char* kUsage =
    "Usage: emoscope-cli report --data DIR [--data DIR2 ...] [--recipe robust|robust-mixup|robust-stats|robust-bias|robust-long|robust-trim|robust-wide|robust-wide-adversary|default] [--folds K] [--epochs N]\n"
    "                           [--seed S] [--threads N] [--batch B] [--feature-cache DIR] [--degrade-clips N]\n"
    "                           [--no-degrade] [--json FILE] [--markdown FILE] [--clips FILE]\n"
    "       emoscope-cli report --data DIR [--data DIR2 ...] --model M --split speaker:SPK[,SPK...] [--seed S] [--threads N]\n"
    "                           [--degrade-clips N] [--no-degrade] [--json FILE] [--markdown FILE] [--clips FILE]\n"
    "Leave-speakers-out generalisation report for a training recipe: the speakers of each --data corpus are dealt\n"
    "into K folds (default 3; a 2-speaker corpus such as TESS is tested one speaker per fold). Each fold trains a model\n"
    "with the recipe on the other speakers (best epoch and calibration chosen on held-out training speakers) and\n"
    "scores its held-out speakers: per-corpus UAR, accuracy, per-class recall, expected calibration error and the\n"
    "verdicts a user sees (the share of clips that get 'ok' and how often those are right), then\n"
    "UAR under degraded audio made with fixed seeds (white, pink and babble noise at 20/10/5 dB SNR, a room,\n"
    "telephone band, a lossy codec) on up to --degrade-clips held-out clips per corpus and fold (default 200).\n"
    "With --model: no training; the same figures for that model file on the speakers named by --split, which must\n"
    "be speakers it never trained on (e.g. its training run's validation speakers), with its own calibration.\n"
    "Markdown on stdout (or --markdown FILE), JSON with --json FILE. --clips FILE writes every clean clip scored\n"
    "(the held-out clips and, for a recipe, each fold's validation clips) as JSON lines: fold, role, corpus,\n"
    "speaker, file, label, calibrated probabilities and the scoring model's calibration, for bench_calibration.\n"
    "Ctrl+C stops after the current batch.\n";

} // namespace

int runReport(const std::vector<std::string>& argsIn)
{
    return runCommand("report", kUsage, argsIn, [&] {
        std::vector<std::string> args = argsIn;
        const auto dirs = takeDataDirs(args);
        ArgParser p({"--recipe", "--folds", "--epochs", "--seed", "--threads", "--batch", "--feature-cache",
                     "--degrade-clips", "--json", "--markdown", "--model", "--split", "--clips"},
                    {"--no-degrade"});
        p.parse(args);
        refuseStrayArguments(p);
        const auto modelPath = p.value("--model");
        std::vector<std::string> speakers;
        if (modelPath) {
            for (const char* trainingOption : {"--recipe", "--folds", "--epochs", "--batch", "--feature-cache"})
                if (p.value(trainingOption))
                    throw UsageError(std::string(trainingOption) + " is for a recipe's report; --model scores a trained model");
            SplitSpec spec;
            try {
                spec = parseSplitSpec(p.required("--split"));
            } catch (const std::invalid_argument& e) {
                throw UsageError(std::string("--split: ") + e.what());
            }
            if (spec.mode != SplitMode::Speaker)
                throw UsageError("--split: --model needs speaker:SPK[,SPK...], the speakers the model never trained on");
            speakers = spec.testSpeakers;
        } else if (p.value("--split")) {
            throw UsageError("--split is for --model; a recipe's report deals every speaker into --folds");
        }
        ReportOptions ro;
        try {
            applyRecipe(p.value("--recipe").value_or("robust"), ro.train);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--recipe: ") + e.what());
        }
        ro.folds = p.integerIn("--folds", 2, 20).value_or(3);
        ro.train.epochs = p.integerIn("--epochs", TrainLimits::minEpochs, TrainLimits::maxEpochs).value_or(ro.train.epochs);
        ro.train.seed = static_cast<unsigned long long>(p.integer("--seed").value_or(1));
        ro.train.threads = threadsOption(p);
        ro.train.batchSize = p.integerIn("--batch", TrainLimits::minBatchSize, TrainLimits::maxBatchSize)
                                 .value_or(ro.train.batchSize);
        ro.train.featureCacheDir = p.value("--feature-cache").value_or("");
        ro.degrade = !p.flag("--no-degrade");
        ro.degradedClipsPerCorpus = p.integerIn("--degrade-clips", 0, 100000).value_or(ro.degradedClipsPerCorpus);
        validateTrainOptionsForCli(ro.train);
        const auto jsonOut = p.value("--json"), markdownOut = p.value("--markdown"), clipsOut = p.value("--clips");
        if (jsonOut) checkOutputPath("--json", *jsonOut);
        if (markdownOut) checkOutputPath("--markdown", *markdownOut, {{"--json", jsonOut.value_or("")}});
        if (clipsOut)
            checkOutputPath("--clips", *clipsOut, {{"--json", jsonOut.value_or("")}, {"--markdown", markdownOut.value_or("")}});
        ro.keepClips = clipsOut.has_value();
        ro.command = commandLine("report", argsIn);
        const Dataset ds = loadDatasetsForCli(dirs);

        TrainCallbacks cb = stderrProgressCallbacks();
        cb.onEpoch = [&](const EpochReport& e) {
            std::cerr << "epoch " << e.epoch << " loss " << e.trainLoss << " | val UAR " << 100 * e.validationUar << "% | "
                      << e.seconds << " s" << (e.best ? " *" : "") << std::endl;
        };
        const auto model = modelPath ? loadModelForCli(modelPath) : nullptr;
        const GeneralisationReport r = [&] {
            const CancelOnSigint cancel;
            if (model) return scoreModelOnSpeakers(ds, *model, speakers, ro, cb, cancel.flag());
            return runGeneralisationReport(ds, ro, cb, cancel.flag());
        }();
        const std::string md = r.toMarkdown();
        if (jsonOut) writeOutputFile(*jsonOut, r.toJson() + "\n");
        if (markdownOut) writeOutputFile(*markdownOut, md);
        if (clipsOut) writeOutputFile(*clipsOut, r.clipsJsonLines());
        else std::cout << md << std::flush;
        return r.cancelled ? ExitCancelled : int(ExitOk);
    });
}

} // namespace emoscope::cli
