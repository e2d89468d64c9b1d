// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli evaluate --data DIR [--data DIR2...] [--split random|fixed|speaker:SPK[,SPK]] [--model M] [--json]
#include "CliCommon.h"
#include "ModelCommands.h"
#include "ModelCliSupport.h"
#include "train/Trainer.h"
#include <iomanip>
#include <iostream>

namespace emoscope::cli {

namespace {

const char* kUsage =
    "Usage: emoscope-cli evaluate --data DIR [--data DIR2...] [--split random|fixed|speaker:SPK[,SPK]] [--model M] [--json]\n"
    "                             [--jobs N] [--threads N]\n"
    "Scores the model on labelled clips. Which clips: --split random on a folder with split.csv = its test part;\n"
    "random elsewhere = a seeded stratified 15% test part; fixed = split.csv's test part; speaker:X = X's clips;\n"
    "no --split = every clip. --json prints one object (accuracy, uar, macro_f1, labels, recall, precision, f1,\n"
    "confusion (rows = true labels), misclassified, total, errors). --jobs N: clips classified at once (default\n"
    "min(cores, 2)); --threads N: compute threads per clip (default 1). The scores do not depend on them.\n";

} // namespace

int runEvaluate(const std::vector<std::string>& argsIn)
{
    return runCommand("evaluate", kUsage, argsIn, [&] {
        std::vector<std::string> args = argsIn;
        const auto dirs = takeDataDirs(args);
        ArgParser p({"--split", "--model", "--threads", "--jobs"}, {"--json"});
        p.parse(args);
        refuseStrayArguments(p);
        const int jobs = setUpBatchThreads(p, std::size_t(-1));
        const auto model = loadModelForCli(p.value("--model"));
        const Dataset ds = loadDatasetsForCli(dirs);
        std::vector<int> indices; // empty = all clips
        if (const auto s = p.value("--split")) {
            const Split split = resolveSplit(ds, parseSplitSpec(*s)).split; // invalid_argument -> exit 2
            indices = split.test;
            if (indices.empty()) throw InputError("the split '" + *s + "' leaves no clips to evaluate");
        }
        const EvaluationReport r = evaluateModel(*model, ds, indices, {}, nullptr, jobs);
        for (const auto& e : r.errors) std::cerr << e << std::endl;
        if (p.flag("--json")) {
            std::cout << r.toJson() << std::endl;
            return int(ExitOk);
        }
        std::cout << std::fixed << std::setprecision(2) << "model    " << model->path() << "\nclips    " << r.total()
                  << "\naccuracy " << 100 * r.accuracy << "%\nUAR      " << 100 * r.uar << "%\nmacro F1 "
                  << 100 * r.macroF1 << "%\n\n"
                  << std::left << std::setw(10) << "label" << std::setw(10) << "recall" << std::setw(10) << "precision"
                  << "\n";
        for (std::size_t i = 0; i < r.labels.size(); ++i)
            std::cout << std::setw(10) << r.labels[i] << std::setw(10) << 100 * r.recall[i] << std::setw(10)
                      << 100 * r.precision[i] << "\n";
        std::cout << "\nconfusion (rows = true, columns = predicted)\n" << std::setw(10) << "";
        for (const auto& l : r.labels) std::cout << std::setw(8) << l;
        std::cout << "\n";
        for (std::size_t i = 0; i < r.confusion.size(); ++i) {
            std::cout << std::setw(10) << r.labels[i];
            for (int c : r.confusion[i]) std::cout << std::setw(8) << c;
            std::cout << "\n";
        }
        std::cout.flush();
        return int(ExitOk);
    });
}

} // namespace emoscope::cli
