// SPDX-License-Identifier: GPL-3.0-or-later
// The loaders take paths, so each input is written to one scratch file per process (libFuzzer runs one input at a
// time in a process).
#pragma once
#include "util/Crc32.h"
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>
#include <unistd.h>

namespace fuzzing {

// Model files and checkpoints end in a CRC-32 of the payload (core/model/TensorContainer.cpp: 16-byte magic,
// u32 version, u64 payload size, payload, u32 CRC), so nearly every mutation stops at "checksum mismatch" and
// the JSON and tensor parsers behind it are never reached. When the header's payload size matches the input,
// the CRC is recomputed; inputs whose size field is off are left alone, so the size checks are fuzzed too.
inline std::vector<std::uint8_t> withValidChecksum(const std::uint8_t* data, std::size_t size)
{
    constexpr std::size_t kHeader = 16 + 4 + 8;
    std::vector<std::uint8_t> out(data, data + size);
    if (size < kHeader + 4) return out;
    std::uint64_t payloadSize;
    std::memcpy(&payloadSize, data + 20, 8);
    if (payloadSize != size - kHeader - 4) return out;
    const std::uint32_t crc = emoscope::crc32(data + kHeader, std::size_t(payloadSize));
    std::memcpy(out.data() + kHeader + payloadSize, &crc, 4);
    return out;
}

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
