// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/VoiceActivity.h"
#include <cstddef>
#include <memory>
#include <vector>

namespace emoscope {

// detectSpeech (VoiceActivity.h) for a stream: push audio in blocks of any size, then finish(). The result equals
// detectSpeech over the whole audio (to float rounding of the resampling when inputRate is not 16 kHz); memory is
// the per-frame decisions (10 bytes per 10 ms frame) plus a few frames of samples.
// finalFrames() tells how many leading frames' frameIsSpeech can no longer change (a run of VAD-positive frames is
// judged when it ends), so a caller can release timeline windows as they become final.
// Not thread-safe: one instance per stream. Throws like detectSpeech.
class SpeechDetector {
public:
    explicit SpeechDetector(int inputRate, const VoiceActivityOptions& options = {});
    ~SpeechDetector();
    SpeechDetector(const SpeechDetector&) = delete;
    SpeechDetector& operator=(const SpeechDetector&) = delete;

    void push(const float* samples, std::size_t n);
    // Frames whose decision is final (all of them after finish()).
    std::size_t finalFrames() const;
    // Decisions so far: frameIsSpeech is valid for the first finalFrames() entries.
    const SpeechActivity& activity() const;
    // End of input: judges the last frames and returns the whole result.
    const SpeechActivity& finish();

    static constexpr double kFrameSeconds = 0.01;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace emoscope
