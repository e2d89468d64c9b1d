// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli: dispatches to the subcommands listed in Commands.h.
#include "CliCommon.h"
#include "Commands.h"
#include "ModelModule.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace {

void printHelp(std::ostream& out)
{
    using emoscope::cli::commands;
    out << "Usage: emoscope-cli <command> [options]\n"
           "       emoscope-cli <command> --help\n"
           "       emoscope-cli --version\n\n"
           "Speech emotion recognition from the command line.\n\nCommands:\n";
    std::size_t width = 0;
    for (const auto& c : commands())
        width = std::max(width, std::string(c.name).size());
    for (const auto& c : commands())
        out << "  " << c.name << std::string(width - std::string(c.name).size() + 2, ' ') << c.summary << "\n";
    out << "\nExit codes: 0 success, 2 bad input (arguments or files), 1 internal error.\n";
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        printHelp(std::cerr);
        return emoscope::cli::ExitBadInput;
    }
    const std::string& first = args.front();
    if (first == "--help" || first == "-h" || first == "help") {
        printHelp(std::cout);
        return emoscope::cli::ExitOk;
    }
    if (first == "--version" || first == "-V") {
        std::cout << "emoscope-cli " << EMOSCOPE_VERSION << std::endl;
        return emoscope::cli::ExitOk;
    }
    for (const auto& c : emoscope::cli::commands()) {
        if (first != c.name)
            continue;
        const std::vector<std::string> rest(args.begin() + 1, args.end());
        return c.run ? c.run(rest) : emoscope::cli::runInModule(c.module, c.name, rest);
    }
    std::cerr << "emoscope-cli: unknown command '" << first << "' (see emoscope-cli --help)" << std::endl;
    return emoscope::cli::ExitBadInput;
}
