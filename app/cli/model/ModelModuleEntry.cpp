// SPDX-License-Identifier: GPL-3.0-or-later
// The one symbol libemoscope-cli-model.so exports: the executable (../ModelModule.cpp) calls it by name.
#include "CliCommon.h"
#include "ModelCommands.h"

extern "C" __attribute__((visibility("default"))) int emoscope_cli_module_run(const char* version, const char* command,
                                                                              int argc, const char* const* argv)
{
    using namespace emoscope::cli;
    return runModuleCommand(version, command, argc, argv,
                            {{"evaluate", runEvaluate}, {"train", runTrain}, {"report", runReport},
                             {"personalize", runPersonalize}, {"calibrate", runCalibrate}});
}
