// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommon.h"

#include "audio/AudioError.h"
#include "util/AtomicFile.h"
#include "util/ThreadLimit.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <iostream>
#include <new>

namespace emoscope::cli {

namespace {
bool contains(const std::vector<std::string>& v, const std::string& s)
{
    return std::find(v.begin(), v.end(), s) != v.end();
}
// Error text must be one line: the tests and scripts read exactly one stderr line.
std::string oneLine(std::string s)
{
    // libtorch's c10::Error puts a backtrace after its message: keep the message.
    if (const auto bt = s.find("\nException raised from"); bt != std::string::npos)
        s.resize(bt);
    else if (const auto frames = s.find("\nframe #"); frames != std::string::npos)
        s.resize(frames);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    std::replace(s.begin(), s.end(), '\n', ' ');
    std::replace(s.begin(), s.end(), '\r', ' ');
    return s;
}
} // namespace

ArgParser::ArgParser(std::vector<std::string> valueOptions, std::vector<std::string> flags)
    : valueOptions_(std::move(valueOptions)), flags_(std::move(flags))
{
}

void ArgParser::parse(const std::vector<std::string>& args)
{
    bool onlyPositionals = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (onlyPositionals || a.size() < 2 || a[0] != '-' || a == "-") {
            positionals_.push_back(a);
            continue;
        }
        if (a == "--") {
            onlyPositionals = true;
            continue;
        }
        std::string name = a;
        std::optional<std::string> inlineValue;
        if (const auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
            name = a.substr(0, eq);
            inlineValue = a.substr(eq + 1);
        }
        if (contains(flags_, name)) {
            if (inlineValue)
                throw UsageError("option " + name + " takes no value");
            if (!contains(setFlags_, name))
                setFlags_.push_back(name);
        } else if (contains(valueOptions_, name)) {
            if (inlineValue) {
                values_[name] = *inlineValue;
            } else {
                if (i + 1 >= args.size())
                    throw UsageError("option " + name + " needs a value");
                values_[name] = args[++i];
            }
        } else {
            throw UsageError("unknown option " + name);
        }
    }
}

bool ArgParser::flag(const std::string& name) const { return contains(setFlags_, name); }

std::optional<std::string> ArgParser::value(const std::string& name) const
{
    const auto it = values_.find(name);
    if (it == values_.end())
        return std::nullopt;
    return it->second;
}

std::string ArgParser::required(const std::string& name) const
{
    auto v = value(name);
    if (!v || v->empty())
        throw UsageError("missing required option " + name);
    return *v;
}

std::optional<double> ArgParser::number(const std::string& name) const
{
    const auto v = value(name);
    if (!v)
        return std::nullopt;
    try {
        std::size_t used = 0;
        const double d = std::stod(*v, &used);
        if (used == v->size() && std::isfinite(d))
            return d;
    } catch (const std::exception&) {
    }
    throw UsageError("option " + name + " needs a finite number, got '" + *v + "'");
}

namespace {
std::string numText(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}
} // namespace

std::optional<double> ArgParser::numberIn(const std::string& name, double lo, double hi, const char* unit) const
{
    const auto v = number(name);
    if (v && !(*v >= lo && *v <= hi))
        throw UsageError(name + " must be in [" + numText(lo) + ", " + numText(hi) + "]" + unit + ", got " +
                         numText(*v));
    return v;
}

std::optional<int> ArgParser::integerIn(const std::string& name, long long lo, long long hi) const
{
    const auto v = integer(name);
    if (v && !(*v >= lo && *v <= hi))
        throw UsageError(name + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
                         std::to_string(*v));
    if (v)
        return int(*v);
    return std::nullopt;
}

int threadsOption(const ArgParser& parser)
{
    return parser.integerIn("--threads", 0, maxUserThreads()).value_or(0);
}

void checkOutputPath(const std::string& option, const std::string& path,
                     const std::vector<std::pair<std::string, std::string>>& others)
{
    namespace fs = std::filesystem;
    if (path.empty())
        throw UsageError(option + " needs a file name");
    std::error_code ec;
    const fs::path p(path);
    if (fs::is_directory(p, ec))
        throw UsageError(option + " '" + path + "' is a folder, not a file");
    const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
    if (!fs::is_directory(dir, ec))
        throw UsageError(option + " '" + path + "': folder '" + dir.string() + "' does not exist");
    // Outputs are written to a temporary file in that folder and renamed: the folder must be writable.
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
        throw UsageError(option + " '" + path + "': folder '" + dir.string() + "' is not writable");
    for (const auto& [what, other] : others) {
        if (other.empty())
            continue;
        std::error_code e1;
        const bool same = fs::exists(p, e1) && fs::exists(other, e1) ? fs::equivalent(p, other, e1)
                                                                    : fs::weakly_canonical(p, e1) ==
                                                                          fs::weakly_canonical(other, e1);
        if (same)
            throw UsageError(option + " '" + path + "' is the same file as " + what + " (refusing to overwrite it)");
    }
}

std::optional<long long> ArgParser::integer(const std::string& name) const
{
    const auto v = value(name);
    if (!v)
        return std::nullopt;
    long long out = 0;
    const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec == std::errc::result_out_of_range)
        throw UsageError("option " + name + " is out of range, got '" + *v + "'");
    if (ec != std::errc() || ptr != v->data() + v->size())
        throw UsageError("option " + name + " needs an integer, got '" + *v + "'");
    return out;
}

void ArgParser::expectPositionals(std::size_t count, const std::string& what) const
{
    if (positionals_.size() < count)
        throw UsageError("missing " + what);
    if (positionals_.size() > count)
        throw UsageError("unexpected argument '" + positionals_[count] + "'");
}

bool wantsHelp(const std::vector<std::string>& args)
{
    for (const auto& a : args) {
        if (a == "--")
            break;
        if (a == "-h" || a == "--help")
            return true;
    }
    return false;
}

int runGuarded(const std::string& command, const std::function<int()>& body)
{
    try {
        return body();
    } catch (const UsageError& e) {
        std::cerr << "emoscope-cli " << command << ": " << oneLine(e.what()) << " (see emoscope-cli " << command
                  << " --help)" << std::endl;
        return ExitBadInput;
    } catch (const emoscope::AudioError& e) {
        std::cerr << oneLine(e.what()) << std::endl;
        return e.kind() == emoscope::AudioErrorKind::WriteFailed ? ExitInternal : ExitBadInput;
    } catch (const InputError& e) {
        std::cerr << oneLine(e.what()) << std::endl;
        return ExitBadInput;
    } catch (const std::invalid_argument& e) {
        std::cerr << "emoscope-cli " << command << ": " << oneLine(e.what()) << std::endl;
        return ExitBadInput;
    } catch (const std::bad_alloc&) {
        std::cerr << "emoscope-cli " << command << ": out of memory" << std::endl;
        return ExitInternal;
    } catch (const std::exception& e) {
        std::cerr << "emoscope-cli " << command << ": " << oneLine(e.what()) << std::endl;
        return ExitInternal;
    } catch (...) {
        std::cerr << "emoscope-cli " << command << ": unknown internal error" << std::endl;
        return ExitInternal;
    }
}

void printJsonLine(const nlohmann::json& j)
{
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

void writeOutputFile(const std::string& path, const std::string& bytes) { emoscope::writeBytesAtomically(path, bytes); }

int runCommand(const std::string& command, const char* usage, const std::vector<std::string>& args,
               const std::function<int()>& body)
{
    if (wantsHelp(args)) {
        std::cout << usage;
        return ExitOk;
    }
    return runGuarded(command, body);
}

int runModuleCommand(const char* version, const char* command, int argc, const char* const* argv,
                     const std::map<std::string, ModuleCommand>& commands)
{
    const std::string name = command ? command : "";
    if (!version || std::string(version) != EMOSCOPE_VERSION) {
        std::cerr << "emoscope-cli " << name << ": the command module is version " << EMOSCOPE_VERSION
                  << ", the executable " << (version ? version : "?") << std::endl;
        return ExitInternal;
    }
    const auto it = commands.find(name);
    if (it == commands.end()) {
        std::cerr << "emoscope-cli: unknown module command '" << name << "'" << std::endl;
        return ExitBadInput;
    }
    return it->second(std::vector<std::string>(argv, argv + argc));
}

} // namespace emoscope::cli
