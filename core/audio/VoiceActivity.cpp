// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/VoiceActivity.h"

#include "audio/Resampler.h"
#include "audio/SpeechDetector.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace emoscope {

SpeechActivity detectSpeech(const AudioBuffer& audio, const VoiceActivityOptions& options)
{
    if (audio.sampleRate <= 0) throw std::invalid_argument("voice activity detection: audio has no sample rate");
    if (audio.samples.empty()) {
        if (options.likelihood < 0 || options.likelihood > 3)
            throw std::invalid_argument("voice activity likelihood must be 0..3, got " +
                                        std::to_string(options.likelihood));
        return SpeechActivity{};
    }
    // Resampled whole (as before the detector streamed), then judged frame by frame.
    constexpr int kRate = 16000;
    SpeechDetector detector(kRate, options);
    if (audio.sampleRate == kRate) {
        detector.push(audio.samples.data(), audio.samples.size());
    } else {
        const std::vector<float> x = resample(audio.samples.data(), audio.samples.size(), audio.sampleRate, kRate);
        detector.push(x.data(), x.size());
    }
    SpeechActivity out = detector.finish();
    out.totalSeconds = audio.durationSeconds();
    out.fraction = out.totalSeconds > 0 ? std::min(1.0, out.speechSeconds / out.totalSeconds) : 0.0;
    return out;
}

} // namespace emoscope
