// SPDX-License-Identifier: GPL-3.0-or-later
// What the voice activity detector says on the generated non-speech fixtures and on TESS's test clips, with
// the WebRTC VAD alone and with the voicing check on top, at each WebRTC likelihood.
//   bench_vad [TESS_DIR] [--features]   (per-frame feature percentiles instead)
//   bench_vad --write-fixtures DIR       (the fixtures as WAV files, e.g. for emoscope-cli classify)
//   bench_vad --explain FILE [FILE ...]  (per file: what the WebRTC VAD and the voicing check saw, to tell why a
//                                         clip was called no speech)
//   bench_vad --flatness-cap DIR [DIR ...]  (clips of labelled corpora, narrow-band and other noises that pass as
//                                            speech if voiced frames must also be below a spectral flatness cap)
#include "AudioFixtures.h"
#include "audio/AudioDecoder.h"
#include "audio/VoiceActivity.h"
#include "audio/WavWriter.h"
#include "model/ModelCard.h"
#include "train/Dataset.h"
#include "util/ParallelFor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

using namespace emoscope;

namespace {
bool passes(const SpeechActivity& a, double seconds, double fraction, const Calibration& c)
{
    return seconds >= c.minSpeechSeconds && fraction >= c.minSpeechFraction;
}
// The detector's clip rule recomputed from its per-frame figures, with voiced frames also required to have a
// spectral flatness of at most cap (cap > 1: no such requirement, i.e. the detector as it is). Narrow-band noise
// (a whining fan) is periodic at pitch lags but has no valleys between harmonics, so its flatness is higher.
bool speechWithFlatnessCap(const SpeechActivity& a, double cap, const Calibration& c)
{
    const std::size_t frames = a.frameWebrtc.size();
    std::size_t speech = 0;
    for (std::size_t f = 0; f < frames;) {
        if (!a.frameWebrtc[f]) { ++f; continue; }
        std::size_t end = f;
        int voiced = 0;
        for (; end < frames && a.frameWebrtc[end]; ++end)
            voiced += a.framePeriodicity[end] >= 0.5f && a.frameFlatness[end] >= 1e-6f &&
                      (cap > 1 || a.frameFlatness[end] <= cap);
        if (voiced >= 3 && double(voiced) >= 0.1 * double(end - f)) speech += end - f;
        f = end;
    }
    const double seconds = 0.01 * double(speech);
    return seconds >= c.minSpeechSeconds && a.totalSeconds > 0 && seconds / a.totalSeconds >= c.minSpeechFraction;
}

int flatnessCapTable(const std::vector<std::string>& roots)
{
    const Calibration limits;
    const std::vector<double> caps{9, 0.05, 0.02, 0.01, 0.005};
    std::printf("clips that pass as speech, by flatness cap on voiced frames (none = the detector as it is)\n\n| clips |");
    for (double cap : caps) cap > 1 ? std::printf(" none |") : std::printf(" %.3f |", cap);
    std::printf("\n|---|");
    for (std::size_t i = 0; i < caps.size(); ++i) std::printf("---|");
    std::printf("\n");
    std::vector<fixtures::Fixture> noises = fixtures::narrowBandNoise();
    for (const auto& f : fixtures::nonSpeech()) noises.push_back(f);
    for (const auto& f : noises) {
        const SpeechActivity a = detectSpeech(AudioBuffer{f.samples, fixtures::kRate});
        std::printf("| %s |", f.name.c_str());
        for (double cap : caps) std::printf(" %s |", speechWithFlatnessCap(a, cap, limits) ? "SPEECH" : "none");
        std::printf("\n");
    }
    for (const auto& root : roots) {
        ScanOptions scan;
        scan.probeFiles = false;
        const Dataset ds = scanDataset(root, scan);
        std::vector<std::vector<int>> passes(ds.clips.size(), std::vector<int>(caps.size(), 0));
        parallelFor(int(ds.clips.size()), 2, [&](int i) {
            try {
                const SpeechActivity a = detectSpeech(loadAudio(ds.clips[std::size_t(i)].path));
                for (std::size_t m = 0; m < caps.size(); ++m)
                    passes[std::size_t(i)][m] = speechWithFlatnessCap(a, caps[m], limits);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "%s\n", e.what());
            }
        });
        std::map<std::string, std::vector<int>> missed; // label -> clips not speech, per cap
        std::printf("| %s (%zu clips): not speech |", std::filesystem::path(root).filename().c_str(), ds.clips.size());
        for (std::size_t m = 0; m < caps.size(); ++m) {
            int n = 0;
            for (std::size_t i = 0; i < ds.clips.size(); ++i) {
                auto& v = missed[ds.clips[i].label];
                v.resize(caps.size());
                if (!passes[i][m]) ++n, ++v[m];
            }
            std::printf(" %d |", n);
        }
        std::printf("\n");
        for (const auto& [label, v] : missed) {
            std::printf("| &nbsp; %s |", label.c_str());
            for (int n : v) std::printf(" %d |", n);
            std::printf("\n");
        }
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc > 2 && std::string(argv[1]) == "--flatness-cap")
        return flatnessCapTable(std::vector<std::string>(argv + 2, argv + argc));
    if (argc > 2 && std::string(argv[1]) == "--explain") {
        auto pct = [](std::vector<float> v, double q) {
            if (v.empty()) return -1.0f;
            std::sort(v.begin(), v.end());
            return v[std::size_t(q * double(v.size() - 1))];
        };
        std::printf("file\tseconds\twebrtc_s\tspeech_s\tperiodicity_p50/p90\tflatness_p50\tperiodic_frames\n");
        for (int k = 2; k < argc; ++k) {
            try {
                const SpeechActivity a = detectSpeech(loadAudio(argv[k]));
                std::vector<float> per, flat;
                int periodic = 0;
                for (std::size_t i = 0; i < a.frameWebrtc.size(); ++i) {
                    if (!a.frameWebrtc[i]) continue;
                    per.push_back(a.framePeriodicity[i]);
                    flat.push_back(a.frameFlatness[i]);
                    periodic += a.framePeriodicity[i] >= 0.5f;
                }
                std::printf("%s\t%.2f\t%.2f\t%.2f\t%.2f/%.2f\t%.2g\t%d\n", argv[k], a.totalSeconds, a.webrtcSeconds,
                            a.speechSeconds, pct(per, 0.5), pct(per, 0.9), pct(flat, 0.5), periodic);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "bench_vad: %s\n", e.what());
            }
        }
        return 0;
    }
    if (argc > 2 && std::string(argv[1]) == "--write-fixtures") {
        std::error_code ec;
        std::filesystem::create_directories(argv[2], ec); // the folder is made if missing; a failure is named below
        try {
            for (const auto& f : fixtures::nonSpeech())
                writeWavAtomic(std::string(argv[2]) + "/" + f.name + ".wav", f.samples.data(), f.samples.size(),
                               fixtures::kRate);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bench_vad: %s\n", e.what());
            return 1;
        }
        return 0;
    }
    const std::string tess = argc > 1 ? argv[1] : std::string(EMOSCOPE_SHARED_DIR) + "/data/tess";
    const Calibration limits; // the card's defaults: 0.3 s and 10 %
    if (argc > 2 && std::string(argv[2]) == "--features") {
        // Percentiles of the per-frame voicing features on WebRTC-positive frames.
        auto pct = [](std::vector<float> v, double q) {
            if (v.empty()) return -1.0f;
            std::sort(v.begin(), v.end());
            return v[std::size_t(q * double(v.size() - 1))];
        };
        auto show = [&](const std::string& name, const std::vector<float>& per, const std::vector<float>& flat) {
            std::printf("%-24s n=%5zu periodicity p10/50/90/99 %.2f %.2f %.2f %.2f  flatness p1/10/50/90 %.2g %.2g %.2g %.2g\n",
                        name.c_str(), per.size(), pct(per, 0.1), pct(per, 0.5), pct(per, 0.9), pct(per, 0.99),
                        pct(flat, 0.01), pct(flat, 0.1), pct(flat, 0.5), pct(flat, 0.9));
        };
        std::vector<fixtures::Fixture> shown = fixtures::nonSpeech();
        for (const auto& f : fixtures::narrowBandNoise()) shown.push_back(f);
        for (const auto& f : shown) {
            const SpeechActivity a = detectSpeech(AudioBuffer{f.samples, fixtures::kRate});
            std::vector<float> per, flat;
            for (std::size_t i = 0; i < a.frameWebrtc.size(); ++i)
                if (a.frameWebrtc[i]) per.push_back(a.framePeriodicity[i]), flat.push_back(a.frameFlatness[i]);
            show(f.name, per, flat);
            int voiced = 0;
            for (std::size_t i = 0; i < a.frameWebrtc.size(); ++i)
                voiced += a.frameWebrtc[i] && a.framePeriodicity[i] >= 0.5f && a.frameFlatness[i] >= 1e-6f;
            std::printf("%-24s voiced and not tonal: %d of %zu frames\n", "", voiced, per.size());
        }
        std::ifstream split(tess + "/split.csv");
        std::string line;
        std::vector<float> per, flat, flatVoiced, voicedShare;
        while (std::getline(split, line)) {
            const auto comma = line.rfind(',');
            if (comma == std::string::npos || line.substr(comma + 1) != "test") continue;
            const SpeechActivity a = detectSpeech(loadAudio(tess + "/" + line.substr(0, comma)));
            int vad = 0, voiced = 0;
            for (std::size_t i = 0; i < a.frameWebrtc.size(); ++i) {
                vad += a.frameWebrtc[i];
                voiced += a.frameWebrtc[i] && a.framePeriodicity[i] >= 0.5f && a.frameFlatness[i] >= 1e-6f;
            }
            voicedShare.push_back(vad ? float(voiced) / float(vad) : 0.0f);
            for (std::size_t i = 0; i < a.frameWebrtc.size(); ++i)
                if (a.frameWebrtc[i]) {
                    per.push_back(a.framePeriodicity[i]);
                    flat.push_back(a.frameFlatness[i]);
                    if (a.framePeriodicity[i] >= 0.5f) flatVoiced.push_back(a.frameFlatness[i]);
                }
        }
        show("TESS test (all VAD)", per, flat);
        show("TESS test (periodic)", per, flatVoiced);
        std::printf("TESS voiced-and-not-tonal share of VAD frames per clip: p0 %.2f p1 %.2f p10 %.2f p50 %.2f\n",
                    pct(voicedShare, 0.0), pct(voicedShare, 0.01), pct(voicedShare, 0.1), pct(voicedShare, 0.5));
        return 0;
    }
    std::printf("limits: speech >= %.2f s and >= %.0f %% of the clip\n\n", limits.minSpeechSeconds,
                limits.minSpeechFraction * 100);
    for (int likelihood = 0; likelihood <= 3; ++likelihood) {
        VoiceActivityOptions o;
        o.likelihood = likelihood;
        std::printf("== likelihood %d\n%-24s %10s %10s %10s %10s\n", likelihood, "fixture", "webrtc s", "verdict",
                    "+voicing s", "verdict");
        for (const auto& f : fixtures::nonSpeech()) {
            const AudioBuffer b{f.samples, fixtures::kRate};
            const SpeechActivity a = detectSpeech(b, o);
            const double t = a.totalSeconds;
            std::printf("%-24s %10.2f %10s %10.2f %10s\n", f.name.c_str(), a.webrtcSeconds,
                        passes(a, a.webrtcSeconds, a.webrtcSeconds / t, limits) ? "SPEECH" : "none", a.speechSeconds,
                        passes(a, a.speechSeconds, a.fraction, limits) ? "SPEECH" : "none");
        }
        std::ifstream split(tess + "/split.csv");
        if (!split) {
            std::fprintf(stderr, "no %s/split.csv\n", tess.c_str());
            return 1;
        }
        std::string line;
        int n = 0, okWebrtc = 0, okVoiced = 0;
        double minSpeech = 1e9, sumSpeech = 0;
        std::string worst;
        double seconds = 0;
        const auto t0 = std::chrono::steady_clock::now();
        while (std::getline(split, line)) {
            const auto comma = line.rfind(',');
            if (comma == std::string::npos || line.substr(comma + 1) != "test") continue;
            const std::string path = tess + "/" + line.substr(0, comma);
            DecodeOptions d;
            const AudioBuffer b = loadAudio(path, d);
            const SpeechActivity a = detectSpeech(b, o);
            seconds += a.totalSeconds;
            ++n;
            okWebrtc += passes(a, a.webrtcSeconds, a.webrtcSeconds / a.totalSeconds, limits);
            okVoiced += passes(a, a.speechSeconds, a.fraction, limits);
            sumSpeech += a.speechSeconds;
            if (a.speechSeconds < minSpeech) {
                minSpeech = a.speechSeconds;
                worst = line.substr(0, comma);
            }
        }
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        std::printf("TESS test clips: %d; speech by webrtc alone %d (%.1f %%), with voicing %d (%.1f %%); "
                    "mean speech %.2f s, least %.2f s (%s); %.2f ms per second of audio incl. decoding\n\n",
                    n, okWebrtc, 100.0 * okWebrtc / n, okVoiced, 100.0 * okVoiced / n, sumSpeech / n, minSpeech,
                    worst.c_str(), ms / seconds);
    }
    return 0;
}
