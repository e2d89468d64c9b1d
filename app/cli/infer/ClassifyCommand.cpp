// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli classify [--model M] [--max-seconds S] [--json] FILE...
#include "CliCommon.h"
#include "InferCommands.h"
#include "InferCliSupport.h"
#include "infer/Headline.h"
#include "infer/ResultFormat.h"
#include <atomic>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

namespace emoscope::cli {

namespace {

const char* kUsage = "Usage: emoscope-cli classify [--model M] [--json|--csv] [--jobs N] [--threads N] [--max-seconds S] FILE...\n"
                     "Classifies each file with the model (default: the bundled one). --json prints one object per\n"
                     "line: {\"file\",\"label\",\"confidence\",\"probabilities\":{label:p},\"status\",\"speech_seconds\",\n"
                     "\"headline\":{\"kind\",\"text\",\"segments\":[{\"emotion\",\"start\",\"end\",\"speech\"}]}}.\n"
                     "--csv: file,label,confidence,<one column per label>,status,speech_seconds.\n"
                     "headline kind: clip (one clip); for a file longer than 60 s, from its timeline over speech only:\n"
                     "single (one label holds >= 80% of the speech), mixed (segments say who spoke when), uncertain or\n"
                     "no_speech (as status). The text output adds a \"headline:\" line for such files.\n"
                     "status: \"ok\"; \"uncertain\" (top probability below the model's calibrated threshold);\n"
                     "\"no_speech\" (too little voice activity: label and confidence are then null, empty in CSV; the\n"
                     "probabilities are the network's raw output and mean nothing).\n"
                     "A file longer than 60 s is classified as the summary of its timeline's speech windows; files of\n"
                     "any length stream in bounded memory; --max-seconds refuses longer ones (default: no limit).\n"
                     "A file that cannot be read gets an error line on stderr; the others are still classified;\n"
                     "exit code 2 if any failed.\n"
                     "--jobs N: files classified at once (default min(cores, 2)); the output keeps the order of FILEs.\n"
                     "--threads N: compute threads per file (default 1).\n";

} // namespace

int runClassify(const std::vector<std::string>& argsIn)
{
    return runCommand("classify", kUsage, argsIn, [&] {
        ArgParser p({"--model", "--threads", "--jobs", "--max-seconds"}, {"--json", "--csv"});
        p.parse(argsIn);
        if (p.positionals().empty()) throw UsageError("give at least one FILE");
        const int jobs = setUpBatchThreads(p, p.positionals().size());
        const auto model = loadModelForCli(p.value("--model"));
        const auto& labels = model->labels();
        const bool json = p.flag("--json");
        DecodeOptions decode;
        decode.maxSeconds = p.numberIn("--max-seconds", 0.01, 1e9, " s").value_or(0.0); // 0: no limit (files stream)
        if (json && p.flag("--csv")) throw UsageError("--json and --csv exclude each other");
        const bool csv = p.flag("--csv");
        const std::vector<std::string>& files = p.positionals();
        // A long file is classified from its timeline (as judgeFiles does), and that timeline also gives the headline
        // (Headline.h): so those files go through timelineFile here, once, instead of through judgeFiles.
        std::vector<std::size_t> shortFiles, longFiles;
        for (std::size_t i = 0; i < files.size(); ++i) {
            bool isLong = false;
            try {
                isLong = probeAudio(files[i]).durationSeconds() > Classifier::kLongFileSeconds;
            } catch (const std::exception&) {
                // judgeFiles reports it, with the reason
            }
            (isLong ? longFiles : shortFiles).push_back(i);
        }
        std::vector<FileClassification> results(files.size());
        std::vector<Headline> headlines(files.size());
        {
            std::vector<std::string> paths;
            for (std::size_t i : shortFiles) paths.push_back(files[i]);
            auto judged = model->judgeFiles(paths, decode, {}, nullptr, jobs);
            for (std::size_t k = 0; k < shortFiles.size(); ++k) results[shortFiles[k]] = std::move(judged[k]);
        }
        std::atomic<std::size_t> next{0};
        const auto longWorker = [&] {
            for (std::size_t k; (k = next++) < longFiles.size();) {
                const std::size_t i = longFiles[k];
                FileClassification& r = results[i];
                r.file = files[i];
                try {
                    const TimelineSummary s = model->timelineFile(files[i], {}, decode);
                    r.probabilities = s.verdict.probabilities;
                    r.status = s.verdict.status;
                    r.speechSeconds = s.verdict.speechSeconds;
                    headlines[i] = headlineFor(s.verdict, s.windows);
                } catch (const std::exception& e) {
                    const std::string what = e.what();
                    r.error = what.rfind(files[i], 0) == 0 ? what : files[i] + ": " + what;
                    r.probabilities.clear();
                }
            }
        };
        std::vector<std::thread> workers;
        for (int w = 1; w < std::min<int>(jobs, int(longFiles.size())); ++w) workers.emplace_back(longWorker);
        longWorker();
        for (auto& t : workers) t.join();
        bool failed = false;
        if (csv) {
            std::cout << format::classifyCsvHeader(labels);
        } else if (!json) {
            std::cout << std::left << std::setw(40) << "file" << "  " << std::setw(8) << "label" << "  conf ";
            for (const auto& l : labels) std::cout << " " << std::setw(7) << l;
            std::cout << "  verdict\n";
        }
        for (std::size_t i = 0; i < results.size(); ++i) {
            const FileClassification& r = results[i];
            if (!r.error.empty()) {
                std::cout.flush();
                std::cerr << r.error << std::endl;
                failed = true;
                continue;
            }
            const Verdict verdict{r.probabilities, r.status, r.speechSeconds, 0.0};
            if (json) {
                std::cout << format::classifyJson(r.file, labels, verdict, headlines[i]) << std::flush;
            } else if (csv) {
                std::cout << format::classifyCsvRow(r.file, labels, verdict);
            } else {
                // No label and no confidence for audio without speech, as in the JSON and CSV.
                const int named = namedEmotion(r.status, r.probabilities);
                std::cout << std::left << std::setw(40) << r.file << "  " << std::setw(8)
                          << (named >= 0 ? labels[std::size_t(named)] : "-") << "  " << std::fixed << std::setprecision(3);
                if (named >= 0) std::cout << r.probabilities[std::size_t(named)];
                else std::cout << std::setw(5) << "-";
                for (float v : r.probabilities) std::cout << " " << std::setw(7) << std::setprecision(3) << v;
                std::cout << "  " << describeVerdict(r.status, r.probabilities, labels) << "\n";
                if (headlines[i].kind != Headline::Kind::Clip)
                    std::cout << "  headline: " << describeHeadline(headlines[i], verdict, labels) << "\n";
            }
        }
        std::cout.flush();
        return failed ? int(ExitBadInput) : int(ExitOk);
    });
}

} // namespace emoscope::cli
