// SPDX-License-Identifier: GPL-3.0-or-later
// Timeline throughput and peak memory on a long file (TESS clips tiled with 2 s of silence, 16 kHz int16 WAV).
//   bench_long_file [--seconds S] [--model M] [--keep PATH] [--stage]
// Prints seconds of audio per second of wall time and the process's peak RSS (VmHWM). --keep writes the WAV to PATH
// and leaves it there (e.g. for /usr/bin/time -v emoscope-cli timeline PATH --csv). --stage times the stages alone
// (decode, voice activity, log-mel, network) on the first 10 minutes.
#include "LongWavFixture.h"
#include "audio/AudioStreamReader.h"
#include "audio/SpeechDetector.h"
#include "dsp/LogMelExtractor.h"
#include "infer/Classifier.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace emoscope;

namespace {
long vmHwmKb()
{
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
    return -1;
}
double since(std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
} // namespace

int main(int argc, char** argv)
{
    double seconds = 7200;
    std::string model;
    std::string keep;
    bool stage = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--seconds" && i + 1 < argc) seconds = std::atof(argv[++i]);
        else if (a == "--model" && i + 1 < argc) model = argv[++i];
        else if (a == "--keep" && i + 1 < argc) keep = argv[++i];
        else if (a == "--stage") stage = true;
    }
    if (model.empty()) model = Classifier::findDefaultModel(argv[0]);
    const std::string tess = std::string(EMOSCOPE_SHARED_DIR) + "/data/tess/";
    std::vector<std::string> clips;
    for (const char* c : {"OAF_angry/OAF_back_angry.flac", "YAF_happy/YAF_back_happy.flac", "OAF_sad/OAF_back_sad.flac",
                          "YAF_fear/YAF_back_fear.flac", "OAF_neutral/OAF_bath_neutral.flac"})
        clips.push_back(tess + c);
    const std::string path = keep.empty() ? (std::filesystem::temp_directory_path() /
                                             ("bench_long_file." + std::to_string(::getpid()) + ".wav")).string()
                                          : keep;
    auto t0 = std::chrono::steady_clock::now();
    fixtures::writeLongSpeechWav(path, seconds, clips);
    std::printf("wrote %s: %.0f s of audio in %.1f s\n", path.c_str(), seconds, since(t0));
    setComputeThreads();
    const auto classifier = Classifier::load(model);

    if (stage) {
        DecodeOptions d{16000, 0, 0};
        std::vector<float> x;
        t0 = std::chrono::steady_clock::now();
        AudioStreamReader reader(path, d);
        while (reader.read(x) && x.size() < 600u * 16000u) {
        }
        x.resize(std::min<std::size_t>(x.size(), 600u * 16000u));
        std::printf("decode     %6.2f ms per s of audio\n", since(t0) * 1000 / 600);
        t0 = std::chrono::steady_clock::now();
        SpeechDetector vad(16000);
        vad.push(x.data(), x.size());
        vad.finish();
        std::printf("VAD        %6.2f ms per s of audio\n", since(t0) * 1000 / 600);
        const LogMelExtractor mel(classifier->featureConfig());
        t0 = std::chrono::steady_clock::now();
        int windows = 0;
        for (std::size_t s = 0; s + 40000 <= x.size(); s += 8000, ++windows) (void)mel.logMel(x.data() + s, 40000);
        std::printf("log-mel    %6.2f ms per window (%d windows of 2.5 s)\n", since(t0) * 1000 / windows, windows);
        t0 = std::chrono::steady_clock::now();
        TimelineOptions o;
        AudioBuffer tenMinutes{x, 16000};
        (void)classifier->timeline(tenMinutes, o);
        std::printf("timeline   %6.2f ms per s of audio (all stages, in memory)\n", since(t0) * 1000 / 600);
    }

    t0 = std::chrono::steady_clock::now();
    long windows = 0;
    TimelineStreamCallbacks hooks;
    hooks.windows = [&](const std::vector<TimelineWindow>& ws) { windows += long(ws.size()); };
    const TimelineSummary s = classifier->timelineFile(path, {}, DecodeOptions{0, 0, 0}, hooks);
    const double wall = since(t0);
    std::printf("timelineFile: %ld windows over %.0f s of audio in %.1f s: %.0f s of audio per s; speech %.0f s; "
                "peak RSS %.0f MB\n",
                windows, s.durationSeconds, wall, s.durationSeconds / wall, s.speech.speechSeconds, vmHwmKb() / 1024.0);
    if (keep.empty()) std::filesystem::remove(path);
    return 0;
}
