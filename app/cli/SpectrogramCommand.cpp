// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli spectrogram FILE --out OUT.f32 [--db] [--png OUT.png]: the model's input features for one file.
#include "CliCommon.h"
#include "Commands.h"
#include "SpectrogramImage.h"

#include "audio/AudioDecoder.h"
#include "dsp/FeatureConfig.h"
#include "dsp/LogMelExtractor.h"

#include <bit>
#include <iostream>

namespace emoscope::cli {

namespace {
constexpr const char* kUsage =
    "Usage: emoscope-cli spectrogram FILE --out OUT.f32 [--db] [--png OUT.png] [--max-seconds S]\n"
    "Decodes FILE, resamples it to 22,050 Hz and writes its mel spectrogram (librosa defaults: n_fft 2048, hop 512,\n"
    "128 Slaney mels) as float32 little-endian, row-major [n_mels][frames]. Prints one JSON line with the shape.\n"
    "  --out PATH        output file (written atomically)\n"
    "  --db              write dB (power_to_db, ref = max, top_db 80) instead of power\n"
    "  --png PATH        also write a magma-coloured PNG of the dB spectrogram (low mels at the bottom)\n"
    "  --max-seconds S   refuse longer files (default 600, at most 14400)\n";

// Four hours: the decoded samples of a longer file no longer fit a desktop's memory comfortably.
constexpr double kMaxSecondsLimit = 4 * 3600.0;

// Output paths are the user's input too: a missing folder is a bad argument (exit 2), named in the message.
void writeOutput(const std::string& path, const std::string& bytes)
{
    try {
        writeOutputFile(path, bytes);
    } catch (const std::exception& e) {
        throw InputError(e.what());
    }
}
} // namespace

int runSpectrogram(const std::vector<std::string>& args)
{
    return runCommand("spectrogram", kUsage, args, [&] {
        static_assert(std::endian::native == std::endian::little, "float32 output is written in native order");
        ArgParser parser({"--out", "--png", "--max-seconds"}, {"--db"});
        parser.parse(args);
        parser.expectPositionals(1, "FILE");
        const std::string out = parser.required("--out");
        const std::string& input = parser.positionals()[0];
        const FeatureConfig config;
        DecodeOptions options;
        options.targetSampleRate = config.sampleRate;
        // Every option is checked before the file is decoded; outputs never replace the input or each other.
        if (const auto s = parser.numberIn("--max-seconds", 0.01, kMaxSecondsLimit, " s"))
            options.maxSeconds = *s;
        checkOutputPath("--out", out, {{"the input FILE", input}});
        const auto png = parser.value("--png");
        if (png)
            checkOutputPath("--png", *png, {{"the input FILE", input}, {"--out", out}});

        const AudioBuffer audio = loadAudio(input, options);
        const LogMelExtractor extractor(config);
        MelMatrix mel = extractor.melPower(audio.samples.data(), audio.samples.size());
        MelMatrix db = mel;
        LogMelExtractor::powerToDb(db, config.amin, config.topDb);
        const MelMatrix& written = parser.flag("--db") ? db : mel;

        writeOutput(out, std::string(reinterpret_cast<const char*>(written.data.data()),
                                     written.data.size() * sizeof(float)));
        if (png)
            writeOutput(*png, renderSpectrogramPng(db, -config.topDb, 0.0));
        printJsonLine({{"n_mels", written.nMels}, {"frames", written.frames}, {"sample_rate", audio.sampleRate}});
        return int(ExitOk);
    });
}

} // namespace emoscope::cli
