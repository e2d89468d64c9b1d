// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/AudioDecoder.h"

#include "audio/AudioError.h"
#include "audio/AudioStreamReader.h"
#include "audio/Resampler.h"

#include <stdexcept>
#include <vector>

namespace emoscope {

AudioInfo probeAudio(const std::string& path)
{
    DecodeOptions keep{0, 0.0, 0.0};
    AudioStreamReader reader(path, keep);
    if (reader.info().frames >= 0)
        return reader.info();
    std::vector<float> scratch;
    while (reader.read(scratch))
        scratch.clear(); // only the count matters
    return reader.info();
}

AudioBuffer loadAudio(const std::string& path, const DecodeOptions& options)
{
    // Decoded at the file's own rate and resampled whole, as training's features were.
    DecodeOptions native = options;
    native.targetSampleRate = 0;
    AudioStreamReader reader(path, native);
    const int rate = reader.info().sampleRate;
    if (options.targetSampleRate < 0)
        throw std::invalid_argument("loadAudio: negative targetSampleRate");
    std::vector<float> mono;
    if (reader.info().frames > 0 && reader.info().frames < (1LL << 31))
        mono.reserve(static_cast<std::size_t>(reader.info().frames));
    while (reader.read(mono)) {
    }
    AudioBuffer out;
    if (options.targetSampleRate == 0 || options.targetSampleRate == rate) {
        out.samples = std::move(mono);
        out.sampleRate = rate;
    } else {
        try {
            out.samples = resample(mono.data(), mono.size(), rate, options.targetSampleRate);
        } catch (const std::invalid_argument& e) {
            throw AudioError(AudioErrorKind::UnsupportedEncoding, path,
                             "its sample rate of " + std::to_string(rate) + " Hz cannot be converted to the " +
                                 std::to_string(options.targetSampleRate) + " Hz the analysis needs (" + e.what() +
                                 ")");
        }
        out.sampleRate = options.targetSampleRate;
    }
    return out;
}

} // namespace emoscope
