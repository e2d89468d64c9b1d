// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to core: small ASCII text helpers for file names, CSV cells and command-line words.
#pragma once
#include <algorithm>
#include <cctype>
#include <string>

namespace emoscope {

inline std::string toLowerAscii(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// Without leading and trailing spaces, tabs and line ends.
inline std::string trimSpace(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// "<path>: <reason>": core errors (AudioError, ModelError) already start with the path; others get it prefixed.
inline std::string withPathPrefix(const std::string& path, const std::string& message)
{
    return message.rfind(path + ":", 0) == 0 ? message : path + ": " + message;
}

} // namespace emoscope
