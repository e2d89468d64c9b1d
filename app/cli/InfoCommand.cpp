// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli info FILE [--json]: what the file holds, from its header (nothing is decoded).
#include "CliCommon.h"
#include "Commands.h"

#include "audio/AudioDecoder.h"

#include <cstdio>
#include <iostream>

namespace emoscope::cli {

namespace {
constexpr const char* kUsage =
    "Usage: emoscope-cli info FILE [--json]\n"
    "Prints the container format, encoding, sample rate, channels, frames and duration of an audio file.\n"
    "  --json   one JSON object on one line instead of text\n";
}

int runInfo(const std::vector<std::string>& args)
{
    if (wantsHelp(args)) {
        std::cout << kUsage;
        return ExitOk;
    }
    return runGuarded("info", [&] {
        ArgParser parser({}, {"--json"});
        parser.parse(args);
        parser.expectPositionals(1, "FILE");
        const AudioInfo info = probeAudio(parser.positionals()[0]);
        if (parser.flag("--json")) {
            printJsonLine({{"path", info.path},
                           {"format", info.format},
                           {"encoding", info.encoding},
                           {"sample_rate", info.sampleRate},
                           {"channels", info.channels},
                           {"frames", info.frames},
                           {"duration_seconds", info.durationSeconds()}});
        } else {
            char duration[32];
            std::snprintf(duration, sizeof duration, "%.3f s", info.durationSeconds());
            std::cout << "path:        " << info.path << "\n"
                      << "format:      " << info.format << "\n"
                      << "encoding:    " << info.encoding << "\n"
                      << "sample rate: " << info.sampleRate << " Hz\n"
                      << "channels:    " << info.channels << "\n"
                      << "frames:      " << info.frames << "\n"
                      << "duration:    " << duration << std::endl;
        }
        return int(ExitOk);
    });
}

} // namespace emoscope::cli
