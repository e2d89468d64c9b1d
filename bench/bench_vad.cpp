// SPDX-License-Identifier: GPL-3.0-or-later
// What the voice activity detector says on the generated non-speech fixtures and on TESS's test clips, with
// the WebRTC VAD alone and with the voicing check on top, at each WebRTC likelihood.
//   bench_vad [TESS_DIR]
#include "AudioFixtures.h"
#include "audio/AudioDecoder.h"
#include "audio/VoiceActivity.h"
#include "model/ModelCard.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

using namespace emoscope;

namespace {
bool passes(const SpeechActivity& a, double seconds, double fraction, const Calibration& c)
{
    return seconds >= c.minSpeechSeconds && fraction >= c.minSpeechFraction;
}
} // namespace

int main(int argc, char** argv)
{
    const std::string tess = argc > 1 ? argv[1] : std::string(EMOSCOPE_SHARED_DIR) + "/data/tess";
    const Calibration limits; // the card's defaults: 0.3 s and 10 %
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
