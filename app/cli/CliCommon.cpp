// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommon.h"

#include "audio/AudioError.h"
#include "util/AtomicFile.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
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
        if (used == v->size())
            return d;
    } catch (const std::exception&) {
    }
    throw UsageError("option " + name + " needs a number, got '" + *v + "'");
}

std::optional<long long> ArgParser::integer(const std::string& name) const
{
    const auto v = value(name);
    if (!v)
        return std::nullopt;
    long long out = 0;
    const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
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

} // namespace emoscope::cli
