// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/SpeechTrim.h"
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace emoscope {

SampleSpan speechSpan(const SpeechActivity& activity, std::size_t samples, int sampleRate, double marginSeconds)
{
    if (sampleRate <= 0) throw std::invalid_argument("speech span: audio has no sample rate");
    if (!(marginSeconds >= 0)) throw std::invalid_argument("speech span: the margin must be >= 0 seconds");
    const auto& speech = activity.frameIsSpeech;
    const auto first = std::find(speech.begin(), speech.end(), std::uint8_t(1));
    if (first == speech.end()) return {0, samples};
    const auto last = std::find(speech.rbegin(), speech.rend(), std::uint8_t(1)); // exists: first does
    constexpr double kFrameSeconds = 0.01;
    const double beginSeconds = double(first - speech.begin()) * kFrameSeconds - marginSeconds;
    const double endSeconds = double(speech.rend() - last) * kFrameSeconds + marginSeconds;
    const auto toSample = [&](double s) {
        return std::size_t(std::clamp(std::llround(s * sampleRate), 0LL, (long long)samples));
    };
    return {toSample(beginSeconds), toSample(endSeconds)};
}

std::vector<float> trimToSpeech(const AudioBuffer& audio, double marginSeconds)
{
    const SampleSpan span = speechSpan(detectSpeech(audio), audio.samples.size(), audio.sampleRate, marginSeconds);
    return {audio.samples.begin() + std::ptrdiff_t(span.begin), audio.samples.begin() + std::ptrdiff_t(span.end)};
}

} // namespace emoscope
