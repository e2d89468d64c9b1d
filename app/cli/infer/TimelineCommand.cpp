// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli timeline FILE [--model M] [--window S] [--hop S] [--max-seconds S] [--json|--csv]
#include "CliCommon.h"
#include "InferCommands.h"
#include "util/Argmax.h"
#include "InferCliSupport.h"
#include "audio/VoiceActivity.h"
#include "infer/ResultFormat.h"
#include <iomanip>
#include <iostream>

namespace emoscope::cli {

namespace {

const char* kUsage = "Usage: emoscope-cli timeline FILE [--model M] [--window S] [--hop S] [--max-seconds S] [--json|--csv]\n"
                     "Classifies sliding windows (default 2.5 s every 0.5 s); audio shorter than a window is one window.\n"
                     "--window 0.1..600 s, --hop 0.01..600 s and at most 200000 windows.\n"
                     "Files of any length stream through in bounded memory; --max-seconds refuses longer ones (default: no limit).\n"
                     "--json: {\"file\",\"window\",\"hop\",\"labels\",\"speech_seconds\",\"windows\":[{\"start\",\"end\",\"label\",\n"
                     "\"probabilities\",\"status\",\"speech_seconds\"}]}\n"
                     "--csv: start,end,label,<one column per label>,status,speech_seconds\n"
                     "Each window's status: ok, uncertain or no_speech (see classify --help), from the speech inside it.\n";

// Window and hop bounds: a hop far below a frame of the features, or millions of windows, is never what anyone
// means (a 1e-6 s hop once prepared 4 GB of windows for one minute of audio).
constexpr double kMinWindow = 0.1, kMaxWindow = 600, kMinHop = 0.01;
constexpr double kMaxWindows = 200000;

} // namespace

int runTimeline(const std::vector<std::string>& argsIn)
{
    return runCommand("timeline", kUsage, argsIn, [&] {
        ArgParser p({"--model", "--window", "--hop", "--threads", "--max-seconds"}, {"--json", "--csv"});
        p.parse(argsIn);
        p.expectPositionals(1, "FILE");
        if (p.flag("--json") && p.flag("--csv")) throw UsageError("--json and --csv exclude each other");
        TimelineOptions o;
        o.windowSeconds = p.numberIn("--window", kMinWindow, kMaxWindow, " s").value_or(o.windowSeconds);
        o.hopSeconds = p.numberIn("--hop", kMinHop, kMaxWindow, " s").value_or(o.hopSeconds);
        const int threads = threadsOption(p);
        const std::string& file = p.positionals().front();
        DecodeOptions d;
        d.maxSeconds = p.numberIn("--max-seconds", 0.01, 1e9, " s").value_or(0.0); // 0: no limit (the file streams)
        // The number of windows from the header, before anything is decoded or a model is loaded.
        const AudioInfo info = probeAudio(file);
        if (const double windows = info.durationSeconds() / o.hopSeconds; windows > kMaxWindows)
            throw UsageError("--hop " + p.value("--hop").value_or("0.5") + " makes " +
                             std::to_string(static_cast<long long>(windows)) + " windows over " + file + " (at most " +
                             std::to_string(static_cast<long long>(kMaxWindows)) + "); use a larger --hop");
        setComputeThreads(threads);
        const auto model = loadModelForCli(p.value("--model"));
        const auto& labels = model->labels();
        const bool csv = p.flag("--csv");
        // CSV rows are written as the windows become final, so nothing of a long file is held for the output; the
        // header comes with the first rows, so a file refused up front prints nothing on stdout.
        TimelineStreamCallbacks hooks;
        bool header = false;
        if (csv)
            hooks.windows = [&](const std::vector<TimelineWindow>& ws) {
                if (!header) {
                    header = true;
                    std::cout << format::timelineCsvHeader(labels);
                }
                std::cout << format::timelineCsvRows(ws, labels);
            };
        const TimelineSummary summary = model->timelineFile(file, o, d, hooks);
        const auto& windows = summary.windows;
        const double speechSeconds = summary.speech.speechSeconds;
        if (p.flag("--json")) {
            std::cout << format::timelineJson(file, o, labels, speechSeconds, windows);
        } else if (csv) {
            // written above, window by window
        } else {
            std::cout << std::left << std::setw(8) << "start" << std::setw(8) << "end" << std::setw(9) << "label";
            for (const auto& l : labels) std::cout << std::setw(8) << l;
            std::cout << "verdict\n" << std::fixed << std::setprecision(2);
            for (const auto& w : windows) {
                std::cout << std::setw(8) << w.startSeconds << std::setw(8) << w.endSeconds << std::setw(9)
                          << labels[argmax(w.probabilities)];
                for (float v : w.probabilities) std::cout << std::setw(8) << v;
                std::cout << describeVerdict(w.status, w.probabilities, labels) << "\n";
            }
            std::cout << "speech in the whole file: " << speechSeconds << " s\n";
        }
        std::cout.flush();
        return int(ExitOk);
    });
}

} // namespace emoscope::cli
