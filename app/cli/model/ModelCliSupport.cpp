// SPDX-License-Identifier: GPL-3.0-or-later
#include "ModelCliSupport.h"
#include "CliCommon.h"
#include "model/ModelError.h"
#include <iostream>

namespace emoscope::cli {

std::vector<std::string> takeRepeated(std::vector<std::string>& args, const std::string& name)
{
    std::vector<std::string> values, rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == name) {
            if (i + 1 >= args.size()) throw UsageError(name + " needs a value");
            values.push_back(args[++i]);
        } else if (a.rfind(name + "=", 0) == 0) {
            values.push_back(a.substr(name.size() + 1));
        } else {
            rest.push_back(a);
        }
    }
    args = std::move(rest);
    return values;
}

std::shared_ptr<const Classifier> loadModelForCli(const std::optional<std::string>& modelOption)
{
    const std::string path = modelOption ? *modelOption : Classifier::findDefaultModel();
    if (path.empty())
        throw InputError("no model found: pass --model FILE or set EMOSCOPE_MODEL (looked next to the binary, in "
                         "share/emoscope/models and in the source tree's models/)");
    try {
        return Classifier::load(path);
    } catch (const ModelError& e) {
        throw InputError(e.what());
    }
}

Dataset loadDatasetsForCli(const std::vector<std::string>& dirs)
{
    if (dirs.empty()) throw UsageError("--data DIR is required");
    std::vector<Dataset> parts;
    for (const auto& d : dirs) {
        try {
            parts.push_back(scanDataset(d));
        } catch (const std::invalid_argument& e) {
            throw InputError(e.what());
        } catch (const std::runtime_error& e) {
            throw InputError(e.what());
        }
        if (parts.back().clips.empty()) throw InputError(d + ": no labelled audio clips found");
    }
    Dataset ds = parts.size() == 1 ? std::move(parts.front()) : combineDatasets(parts);
    if (!ds.skipped.empty()) {
        std::cerr << "skipped " << ds.skipped.size() << " file(s):";
        for (std::size_t i = 0; i < ds.skipped.size() && i < 5; ++i)
            std::cerr << (i ? "; " : " ") << ds.skipped[i].path << ": " << ds.skipped[i].reason;
        std::cerr << (ds.skipped.size() > 5 ? "; ..." : "") << std::endl;
    }
    return ds;
}

std::string commandLine(const std::string& command, const std::vector<std::string>& args)
{
    std::string s = "emoscope-cli " + command;
    for (const auto& a : args) {
        const bool quote = a.find_first_of(" \t'\"$") != std::string::npos || a.empty();
        s += ' ';
        s += quote ? "'" + a + "'" : a;
    }
    return s;
}

} // namespace emoscope::cli
