// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: decode any bytes as audio (libsndfile through loadAudio, resampled to 16 kHz), then the log-mel.
// Errors must be AudioError / std::invalid_argument; anything else, a crash, a leak or undefined behaviour is a finding.
#include "FuzzFile.h"
#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"
#include "dsp/LogMelExtractor.h"
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string& path = fuzzing::writeScratch(data, size, ".wav");
    try {
        emoscope::DecodeOptions options;
        options.targetSampleRate = 16000;
        options.maxSeconds = 30;
        const emoscope::AudioBuffer audio = emoscope::loadAudio(path, options);
        emoscope::FeatureConfig config;
        config.sampleRate = 16000;
        config.nFft = 512;
        config.winLength = 512;
        config.hopLength = 160;
        config.nMels = 64;
        static const emoscope::LogMelExtractor extractor(config);
        (void)extractor.logMel(audio.samples.data(), audio.samples.size());
    } catch (const emoscope::AudioError&) {
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
