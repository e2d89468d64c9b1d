// SPDX-License-Identifier: GPL-3.0-or-later
// How much of each corpus the speech trim (a model's input.trim_to_speech, audio/SpeechTrim.h) cuts away: per
// corpus and label, the mean clip length, the mean length kept, and the time the trim takes.
//   bench_speech_trim --data DIR [--data DIR2 ...] [--margin SECONDS] [--threads N]
#include "audio/AudioDecoder.h"
#include "audio/SpeechTrim.h"
#include "train/Dataset.h"
#include "util/ParallelFor.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

using namespace emoscope;

int main(int argc, char** argv)
{
    std::vector<std::string> roots;
    double margin = 0.2;
    int threads = 2;
    for (int i = 1; i < argc; ++i) {
        const bool hasValue = i + 1 < argc;
        if (!std::strcmp(argv[i], "--data") && hasValue) roots.emplace_back(argv[++i]);
        else if (!std::strcmp(argv[i], "--margin") && hasValue) margin = std::stod(argv[++i]);
        else if (!std::strcmp(argv[i], "--threads") && hasValue) threads = std::stoi(argv[++i]);
        else {
            std::fprintf(stderr, "usage: bench_speech_trim --data DIR [--data DIR2 ...] [--margin S] [--threads N]\n");
            return 2;
        }
    }
    if (roots.empty()) {
        std::fprintf(stderr, "bench_speech_trim: give at least one --data DIR\n");
        return 2;
    }
    std::printf("| corpus | label | clips | mean length s | mean kept s | kept %% |\n|---|---|---|---|---|---|\n");
    for (const std::string& root : roots) {
        const Dataset d = scanDataset(root);
        const int n = int(d.clips.size());
        std::vector<double> total(std::size_t(n), 0.0), kept(std::size_t(n), 0.0); // total 0: not decoded
        const auto t0 = std::chrono::steady_clock::now();
        parallelFor(n, threads, [&](int i) {
            DecodeOptions o;
            o.targetSampleRate = 16000;
            try {
                const AudioBuffer a = loadAudio(d.clips[std::size_t(i)].path, o);
                total[std::size_t(i)] = a.durationSeconds();
                kept[std::size_t(i)] = double(trimToSpeech(a, margin).size()) / a.sampleRate;
            } catch (const std::exception& e) {
                std::fprintf(stderr, "%s\n", e.what());
            }
        });
        const double trimSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::map<std::string, std::vector<int>> byLabel;
        for (int i = 0; i < n; ++i) {
            if (total[std::size_t(i)] <= 0) continue; // unreadable (named on stderr)
            byLabel[d.clips[std::size_t(i)].label].push_back(i);
            byLabel["(all)"].push_back(i);
        }
        for (const auto& [label, idx] : byLabel) {
            double t = 0, k = 0;
            for (int i : idx) t += total[std::size_t(i)], k += kept[std::size_t(i)];
            const double m = double(idx.size());
            std::printf("| %s | %s | %zu | %.2f | %.2f | %.1f |\n", root.c_str(), label.c_str(), idx.size(), t / m,
                        k / m, t > 0 ? 100.0 * k / t : 0.0);
        }
        std::fprintf(stderr, "%s: %d clips decoded and trimmed in %.1f s on %d threads\n", root.c_str(), n, trimSeconds,
                     threads);
    }
    return 0;
}
