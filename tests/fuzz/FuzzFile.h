// SPDX-License-Identifier: GPL-3.0-or-later
// The loaders take paths, so each input is written to one scratch file per process (libFuzzer runs one input at a
// time in a process).
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace fuzzing {

inline const std::string& writeScratch(const std::uint8_t* data, std::size_t size, const char* suffix)
{
    static const std::string path = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") +
                                    "/emoscope-fuzz-" + std::to_string(::getpid()) + suffix;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (size && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
    return path;
}

} // namespace fuzzing
