// SPDX-License-Identifier: GPL-3.0-or-later
// The one symbol libemoscope-cli-model.so exports: the executable (../ModelModule.cpp) calls it by name.
#include "CliCommon.h"
#include "ModelCommands.h"

#include <iostream>
#include <string>
#include <vector>

extern "C" __attribute__((visibility("default"))) int emoscope_cli_model_run(const char* version, const char* command,
                                                                             int argc, const char* const* argv)
{
    using namespace emoscope::cli;
    const std::string name = command ? command : "";
    if (!version || std::string(version) != EMOSCOPE_VERSION) {
        std::cerr << "emoscope-cli " << name << ": the model commands module is version "
                  << EMOSCOPE_VERSION << ", the executable " << (version ? version : "?") << std::endl;
        return ExitInternal;
    }
    const std::vector<std::string> args(argv, argv + argc);
    if (name == "classify") return runClassify(args);
    if (name == "timeline") return runTimeline(args);
    if (name == "evaluate") return runEvaluate(args);
    if (name == "train") return runTrain(args);
    if (name == "report") return runReport(args);
    if (name == "personalize") return runPersonalize(args);
    std::cerr << "emoscope-cli: unknown model command '" << name << "'" << std::endl;
    return ExitBadInput;
}
