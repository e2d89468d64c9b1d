// SPDX-License-Identifier: GPL-3.0-or-later
#include "SpectrogramImage.h"

#include "util/ColorMaps.h"
#include "util/Crc32.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace emoscope::cli {

namespace {

void putBE32(std::string& out, std::uint32_t v)
{
    out.push_back(char((v >> 24) & 0xff));
    out.push_back(char((v >> 16) & 0xff));
    out.push_back(char((v >> 8) & 0xff));
    out.push_back(char(v & 0xff));
}

void putChunk(std::string& out, const char type[4], const std::string& payload)
{
    putBE32(out, std::uint32_t(payload.size()));
    std::string body(type, 4);
    body += payload;
    out += body;
    putBE32(out, emoscope::crc32(body.data(), body.size()));
}

// zlib stream of stored (uncompressed) deflate blocks, with its Adler-32 trailer.
std::string zlibStored(const std::string& raw)
{
    std::string out;
    out.push_back(char(0x78));
    out.push_back(char(0x01));
    std::size_t pos = 0;
    do {
        const std::size_t len = std::min<std::size_t>(65535, raw.size() - pos);
        const bool last = pos + len == raw.size();
        out.push_back(char(last ? 1 : 0));
        out.push_back(char(len & 0xff));
        out.push_back(char(len >> 8));
        out.push_back(char(~len & 0xff));
        out.push_back(char((~len >> 8) & 0xff));
        out.append(raw, pos, len);
        pos += len;
    } while (pos < raw.size());
    std::uint32_t a = 1, b = 0;
    for (unsigned char c : raw) {
        a = (a + c) % 65521u;
        b = (b + a) % 65521u;
    }
    putBE32(out, (b << 16) | a);
    return out;
}

} // namespace

std::string encodePngRgb(const unsigned char* rgb, int width, int height)
{
    if (width <= 0 || height <= 0)
        throw std::invalid_argument("PNG image must have a positive size");
    std::string out("\x89PNG\r\n\x1a\n", 8);
    std::string header;
    putBE32(header, std::uint32_t(width));
    putBE32(header, std::uint32_t(height));
    header += std::string("\x08\x02\x00\x00\x00", 5); // 8-bit, RGB, deflate, adaptive filter, no interlace
    putChunk(out, "IHDR", header);
    std::string raw;
    raw.reserve(std::size_t(height) * (std::size_t(width) * 3 + 1));
    for (int y = 0; y < height; ++y) {
        raw.push_back(char(0)); // filter: none
        raw.append(reinterpret_cast<const char*>(rgb) + std::size_t(y) * width * 3, std::size_t(width) * 3);
    }
    putChunk(out, "IDAT", zlibStored(raw));
    putChunk(out, "IEND", std::string());
    return out;
}

std::string renderSpectrogramPng(const MelMatrix& db, double floorDb, double ceilDb)
{
    const int width = db.frames, height = db.nMels;
    std::vector<unsigned char> rgb(std::size_t(width) * height * 3);
    for (int mel = 0; mel < height; ++mel) {
        unsigned char* line = rgb.data() + std::size_t(height - 1 - mel) * width * 3; // top row = highest mel
        for (int f = 0; f < width; ++f) {
            const std::uint32_t c = kMagmaArgb[colorIndex(db.at(mel, f), floorDb, ceilDb)];
            line[3 * f] = (c >> 16) & 0xff;
            line[3 * f + 1] = (c >> 8) & 0xff;
            line[3 * f + 2] = c & 0xff;
        }
    }
    return encodePngRgb(rgb.data(), width, height);
}

} // namespace emoscope::cli
