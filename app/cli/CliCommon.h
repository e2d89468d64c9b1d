// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the emoscope-cli commands: argument parsing, exit codes, error reporting, JSON output.
#pragma once
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace emoscope::cli {

// Process exit codes.
enum ExitCode : int {
    ExitOk = 0,
    ExitInternal = 1, // a bug or an environment failure (out of memory, cannot write output, ...)
    ExitBadInput = 2, // the user's input is unusable: bad arguments, missing/unreadable/non-audio file, bad model
};

// Thrown for bad command-line usage; reported as one line and exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown for an unusable input file; what() is one line "<path>: <reason>"; exit code 2.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Minimal option parser: "--name value", "--name=value", boolean "--flag", and positionals.
// Unknown options and missing values are UsageErrors.
class ArgParser {
public:
    // valueOptions take a value (e.g. "--out"); flags do not (e.g. "--json").
    ArgParser(std::vector<std::string> valueOptions, std::vector<std::string> flags);
    void parse(const std::vector<std::string>& args);

    bool flag(const std::string& name) const;
    std::optional<std::string> value(const std::string& name) const;
    std::string required(const std::string& name) const; // UsageError if absent
    // Parsed numeric values; UsageError naming the option when not a number (NaN and infinities are not numbers
    // here: every option is finite).
    std::optional<double> number(const std::string& name) const;
    std::optional<long long> integer(const std::string& name) const;
    // Bounded forms: UsageError "--NAME must be in [lo, hi]<unit>, got V" (one set of words for every option).
    std::optional<double> numberIn(const std::string& name, double lo, double hi, const char* unit = "") const;
    std::optional<int> integerIn(const std::string& name, long long lo, long long hi) const;
    const std::vector<std::string>& positionals() const { return positionals_; }
    // Exactly `count` positionals, else UsageError mentioning `what` (e.g. "FILE").
    void expectPositionals(std::size_t count, const std::string& what) const;

private:
    std::vector<std::string> valueOptions_;
    std::vector<std::string> flags_;
    std::map<std::string, std::string> values_;
    std::vector<std::string> setFlags_;
    std::vector<std::string> positionals_;
};

// --threads N: 0 (all cores) .. maxUserThreads(). Checked before any work starts.
int threadsOption(const ArgParser& parser);

// An output path, checked before any work starts: not empty, not a folder, its folder exists and is writable, and
// it is not the same file as any of `others` (each a pair of the option or word that named it, e.g. "FILE", and
// the path). UsageError naming `option` and the reason.
void checkOutputPath(const std::string& option, const std::string& path,
                     const std::vector<std::pair<std::string, std::string>>& others = {});

// True when args contain -h or --help (commands print their usage and return 0).
bool wantsHelp(const std::vector<std::string>& args);

// Runs body, mapping exceptions to one line on stderr and an exit code:
// UsageError, InputError, AudioError (except WriteFailed), std::invalid_argument -> 2; anything else -> 1.
// A library's multi-line message (libtorch appends a backtrace) is cut to its first line.
// `command` prefixes usage messages ("emoscope-cli info: ...").
int runGuarded(const std::string& command, const std::function<int()>& body);

// The frame of every command: `usage` on stdout for -h/--help (exit 0), else runGuarded(command, body).
int runCommand(const std::string& command, const char* usage, const std::vector<std::string>& args,
               const std::function<int()>& body);

// Prints one compact JSON document on one line to stdout and flushes.
void printJsonLine(const nlohmann::json& j);

// The body of a command module's one exported function (emoscope_cli_module_run): refuses a module of another
// build (the version travels with the call), then runs the named command with its arguments.
using ModuleCommand = int (*)(const std::vector<std::string>& args);
int runModuleCommand(const char* version, const char* command, int argc, const char* const* argv,
                     const std::map<std::string, ModuleCommand>& commands);

// Writes bytes to path atomically (temp + fsync + rename); throws std::runtime_error naming the path.
void writeOutputFile(const std::string& path, const std::string& bytes);

} // namespace emoscope::cli
