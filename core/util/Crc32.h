// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <cstdint>

namespace emoscope {

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320: the one of zlib, PNG and gzip) of n bytes.
// Pass a previous result as `crc` to continue a checksum over several pieces. Thread-safe.
std::uint32_t crc32(const void* data, std::size_t n, std::uint32_t crc = 0);

} // namespace emoscope
