// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <stdexcept>
#include <string>

namespace emoscope {

// Thrown when a model file cannot be used. what() is one line: "<path>: <reason>".
class ModelError : public std::runtime_error {
public:
    ModelError(std::string path, const std::string& reason)
        : std::runtime_error(path + ": " + reason), path_(std::move(path)) {}
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

} // namespace emoscope
