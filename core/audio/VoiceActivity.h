// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include <cstdint>
#include <vector>

namespace emoscope {

// How much of a clip is speech, in 10 ms frames at 16 kHz.
struct SpeechActivity {
    double speechSeconds = 0;
    double totalSeconds = 0;
    double fraction = 0;                     // speechSeconds / totalSeconds (0 for empty audio)
    std::vector<std::uint8_t> frameIsSpeech; // final decision, one per 10 ms frame
    std::vector<std::uint8_t> frameWebrtc;   // the WebRTC VAD's own decision, one per frame (for diagnostics)
    std::vector<float> framePeriodicity;     // best normalised autocorrelation peak at a 60-400 Hz pitch lag
    std::vector<float> frameFlatness;        // spectral flatness over 100-7000 Hz (VAD-positive frames only)
    double webrtcSeconds = 0;                // seconds the WebRTC VAD alone calls speech
};

struct VoiceActivityOptions {
    // WebRTC VoiceDetection::Likelihood: 0 very low .. 3 high (more frames called voice, more noise let through).
    int likelihood = 1;
    // The WebRTC VAD is a subband-energy GMM: hum, white/pink noise and tone sweeps at -20 dBFS look like speech to
    // it. Speech always has voiced stretches (periodic and harmonic-rich), so a run of VAD-positive frames only
    // counts as speech when enough of its frames are voiced; see VoiceActivity.cpp and bench_vad.
    bool requireVoicing = true;
};

// Detects speech with the WebRTC VAD (libwebrtc-audio-processing) on 10 ms frames after resampling to 16 kHz.
// Thread-safe: each call has its own detector state. Throws std::invalid_argument for audio without a sample
// rate and std::runtime_error when the WebRTC module fails (the message says which step).
SpeechActivity detectSpeech(const AudioBuffer& audio, const VoiceActivityOptions& options = {});

} // namespace emoscope
