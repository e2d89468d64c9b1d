// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli classify [--model M] [--max-seconds S] [--json] FILE...
#include "CliCommon.h"
#include "ModelCommands.h"
#include "ModelCliSupport.h"
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace emoscope::cli {

namespace {

const char* kUsage = "Usage: emoscope-cli classify [--model M] [--json] [--jobs N] [--threads N] [--max-seconds S] FILE...\n"
                     "Classifies each file with the model (default: the bundled one). --json prints one object per\n"
                     "line: {\"file\",\"label\",\"confidence\",\"probabilities\":{label:p},\"status\",\"speech_seconds\"}.\n"
                     "status: \"ok\"; \"uncertain\" (top probability below the model's calibrated threshold);\n"
                     "\"no_speech\" (too little voice activity: label and probabilities then mean nothing).\n"
                     "A file longer than 60 s is classified as the summary of its timeline's speech windows; files of\n"
                     "any length stream in bounded memory; --max-seconds refuses longer ones (default: no limit).\n"
                     "A file that cannot be read gets an error line on stderr; the others are still classified;\n"
                     "exit code 2 if any failed.\n"
                     "--jobs N: files classified at once (default min(cores, 2)); the output keeps the order of FILEs.\n"
                     "--threads N: compute threads per file (default 1).\n";

} // namespace

int runClassify(const std::vector<std::string>& argsIn)
{
    if (wantsHelp(argsIn)) {
        std::cout << kUsage;
        return ExitOk;
    }
    return runGuarded("classify", [&] {
        ArgParser p({"--model", "--threads", "--jobs", "--max-seconds"}, {"--json"});
        p.parse(argsIn);
        if (p.positionals().empty()) throw UsageError("give at least one FILE");
        const int jobs = setUpBatchThreads(p, p.positionals().size());
        const auto model = loadModelForCli(p.value("--model"));
        const auto& labels = model->labels();
        const bool json = p.flag("--json");
        DecodeOptions decode;
        decode.maxSeconds = p.numberIn("--max-seconds", 0.01, 1e9, " s").value_or(0.0); // 0: no limit (files stream)
        const auto results = model->judgeFiles(p.positionals(), decode, {}, nullptr, jobs);
        bool failed = false;
        if (!json) {
            std::cout << std::left << std::setw(40) << "file" << "  " << std::setw(8) << "label" << "  conf ";
            for (const auto& l : labels) std::cout << " " << std::setw(7) << l;
            std::cout << "  verdict\n";
        }
        for (const auto& r : results) {
            if (!r.error.empty()) {
                std::cout.flush();
                std::cerr << r.error << std::endl;
                failed = true;
                continue;
            }
            const int top = r.top();
            if (json) {
                nlohmann::json probs = nlohmann::json::object();
                for (std::size_t i = 0; i < labels.size(); ++i) probs[labels[i]] = r.probabilities[i];
                printJsonLine({{"file", r.file}, {"label", labels[top]}, {"confidence", r.probabilities[top]},
                               {"probabilities", probs}, {"status", toString(r.status)},
                               {"speech_seconds", r.speechSeconds}});
            } else {
                std::cout << std::left << std::setw(40) << r.file << "  " << std::setw(8) << labels[top] << "  "
                          << std::fixed << std::setprecision(3) << r.probabilities[top];
                for (float v : r.probabilities) std::cout << " " << std::setw(7) << std::setprecision(3) << v;
                std::cout << "  " << describeVerdict(r.status, r.probabilities, labels) << "\n";
            }
        }
        std::cout.flush();
        return failed ? int(ExitBadInput) : int(ExitOk);
    });
}

} // namespace emoscope::cli
