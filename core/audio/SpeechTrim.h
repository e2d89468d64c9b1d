// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/VoiceActivity.h"
#include <cstddef>
#include <vector>

namespace emoscope {

// Where a clip's speech is: from its first to its last speech frame, widened by a margin on both sides.
// Leading and trailing silence vary by corpus (the trim keeps 60% of RAVDESS and 99.7% of nEMO), and with
// per-band mean removal and whole-clip pooling that amount would be a corpus cue; cutting it away in training and
// inference alike removes it. Pauses inside the speech are kept.
struct SampleSpan {
    std::size_t begin = 0;
    std::size_t end = 0; // one past the last sample
    std::size_t size() const { return end - begin; }
};

// The speech span of `samples` samples at `sampleRate`, from a detectSpeech() result on the same audio (its 10 ms
// frames count from the first sample). No speech frame at all: the whole clip (there is nothing better to keep, and
// the verdict says no_speech anyway). Throws std::invalid_argument for a sample rate <= 0 or a negative margin.
SampleSpan speechSpan(const SpeechActivity& activity, std::size_t samples, int sampleRate, double marginSeconds);

// The samples of audio's speech span (detectSpeech() run on it). Same errors as detectSpeech() and speechSpan().
std::vector<float> trimToSpeech(const AudioBuffer& audio, double marginSeconds);

} // namespace emoscope
