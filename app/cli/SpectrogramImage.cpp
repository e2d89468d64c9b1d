// SPDX-License-Identifier: GPL-3.0-or-later
#include "SpectrogramImage.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace emoscope::cli {

namespace {

// matplotlib's magma (CC0), the same 256 entries as app/gui/ColorMap.cpp (0xAARRGGBB); the CLI cannot use that
// class because it is built on Qt.
constexpr std::array<std::uint32_t, 256> kMagma{
    0xff000004u, 0xff010005u, 0xff010106u, 0xff010108u, 0xff020109u, 0xff02020bu, 0xff02020du, 0xff03030fu,
    0xff030312u, 0xff040414u, 0xff050416u, 0xff060518u, 0xff06051au, 0xff07061cu, 0xff08071eu, 0xff090720u,
    0xff0a0822u, 0xff0b0924u, 0xff0c0926u, 0xff0d0a29u, 0xff0e0b2bu, 0xff100b2du, 0xff110c2fu, 0xff120d31u,
    0xff130d34u, 0xff140e36u, 0xff150e38u, 0xff160f3bu, 0xff180f3du, 0xff19103fu, 0xff1a1042u, 0xff1c1044u,
    0xff1d1147u, 0xff1e1149u, 0xff20114bu, 0xff21114eu, 0xff221150u, 0xff241253u, 0xff251255u, 0xff271258u,
    0xff29115au, 0xff2a115cu, 0xff2c115fu, 0xff2d1161u, 0xff2f1163u, 0xff311165u, 0xff331067u, 0xff341069u,
    0xff36106bu, 0xff38106cu, 0xff390f6eu, 0xff3b0f70u, 0xff3d0f71u, 0xff3f0f72u, 0xff400f74u, 0xff420f75u,
    0xff440f76u, 0xff451077u, 0xff471078u, 0xff491078u, 0xff4a1079u, 0xff4c117au, 0xff4e117bu, 0xff4f127bu,
    0xff51127cu, 0xff52137cu, 0xff54137du, 0xff56147du, 0xff57157eu, 0xff59157eu, 0xff5a167eu, 0xff5c167fu,
    0xff5d177fu, 0xff5f187fu, 0xff601880u, 0xff621980u, 0xff641a80u, 0xff651a80u, 0xff671b80u, 0xff681c81u,
    0xff6a1c81u, 0xff6b1d81u, 0xff6d1d81u, 0xff6e1e81u, 0xff701f81u, 0xff721f81u, 0xff732081u, 0xff752181u,
    0xff762181u, 0xff782281u, 0xff792282u, 0xff7b2382u, 0xff7c2382u, 0xff7e2482u, 0xff802582u, 0xff812581u,
    0xff832681u, 0xff842681u, 0xff862781u, 0xff882781u, 0xff892881u, 0xff8b2981u, 0xff8c2981u, 0xff8e2a81u,
    0xff902a81u, 0xff912b81u, 0xff932b80u, 0xff942c80u, 0xff962c80u, 0xff982d80u, 0xff992d80u, 0xff9b2e7fu,
    0xff9c2e7fu, 0xff9e2f7fu, 0xffa02f7fu, 0xffa1307eu, 0xffa3307eu, 0xffa5317eu, 0xffa6317du, 0xffa8327du,
    0xffaa337du, 0xffab337cu, 0xffad347cu, 0xffae347bu, 0xffb0357bu, 0xffb2357bu, 0xffb3367au, 0xffb5367au,
    0xffb73779u, 0xffb83779u, 0xffba3878u, 0xffbc3978u, 0xffbd3977u, 0xffbf3a77u, 0xffc03a76u, 0xffc23b75u,
    0xffc43c75u, 0xffc53c74u, 0xffc73d73u, 0xffc83e73u, 0xffca3e72u, 0xffcc3f71u, 0xffcd4071u, 0xffcf4070u,
    0xffd0416fu, 0xffd2426fu, 0xffd3436eu, 0xffd5446du, 0xffd6456cu, 0xffd8456cu, 0xffd9466bu, 0xffdb476au,
    0xffdc4869u, 0xffde4968u, 0xffdf4a68u, 0xffe04c67u, 0xffe24d66u, 0xffe34e65u, 0xffe44f64u, 0xffe55064u,
    0xffe75263u, 0xffe85362u, 0xffe95462u, 0xffea5661u, 0xffeb5760u, 0xffec5860u, 0xffed5a5fu, 0xffee5b5eu,
    0xffef5d5eu, 0xfff05f5eu, 0xfff1605du, 0xfff2625du, 0xfff2645cu, 0xfff3655cu, 0xfff4675cu, 0xfff4695cu,
    0xfff56b5cu, 0xfff66c5cu, 0xfff66e5cu, 0xfff7705cu, 0xfff7725cu, 0xfff8745cu, 0xfff8765cu, 0xfff9785du,
    0xfff9795du, 0xfff97b5du, 0xfffa7d5eu, 0xfffa7f5eu, 0xfffa815fu, 0xfffb835fu, 0xfffb8560u, 0xfffb8761u,
    0xfffc8961u, 0xfffc8a62u, 0xfffc8c63u, 0xfffc8e64u, 0xfffc9065u, 0xfffd9266u, 0xfffd9467u, 0xfffd9668u,
    0xfffd9869u, 0xfffd9a6au, 0xfffd9b6bu, 0xfffe9d6cu, 0xfffe9f6du, 0xfffea16eu, 0xfffea36fu, 0xfffea571u,
    0xfffea772u, 0xfffea973u, 0xfffeaa74u, 0xfffeac76u, 0xfffeae77u, 0xfffeb078u, 0xfffeb27au, 0xfffeb47bu,
    0xfffeb67cu, 0xfffeb77eu, 0xfffeb97fu, 0xfffebb81u, 0xfffebd82u, 0xfffebf84u, 0xfffec185u, 0xfffec287u,
    0xfffec488u, 0xfffec68au, 0xfffec88cu, 0xfffeca8du, 0xfffecc8fu, 0xfffecd90u, 0xfffecf92u, 0xfffed194u,
    0xfffed395u, 0xfffed597u, 0xfffed799u, 0xfffed89au, 0xfffdda9cu, 0xfffddc9eu, 0xfffddea0u, 0xfffde0a1u,
    0xfffde2a3u, 0xfffde3a5u, 0xfffde5a7u, 0xfffde7a9u, 0xfffde9aau, 0xfffdebacu, 0xfffcecaeu, 0xfffceeb0u,
    0xfffcf0b2u, 0xfffcf2b4u, 0xfffcf4b6u, 0xfffcf6b8u, 0xfffcf7b9u, 0xfffcf9bbu, 0xfffcfbbdu, 0xfffcfdbfu,
};

std::uint32_t crc32(const unsigned char* data, std::size_t n, std::uint32_t crc = 0)
{
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    crc = ~crc;
    for (std::size_t i = 0; i < n; ++i)
        crc = table[(crc ^ data[i]) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

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
    putBE32(out, crc32(reinterpret_cast<const unsigned char*>(body.data()), body.size()));
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
    const double span = ceilDb > floorDb ? ceilDb - floorDb : 1.0;
    for (int mel = 0; mel < height; ++mel) {
        unsigned char* line = rgb.data() + std::size_t(height - 1 - mel) * width * 3; // top row = highest mel
        for (int f = 0; f < width; ++f) {
            const double t = (double(db.at(mel, f)) - floorDb) / span;
            const std::size_t index = !(t > 0.0) ? 0 : t >= 1.0 ? 255 : std::size_t(t * 255.0 + 0.5);
            const std::uint32_t c = kMagma[index];
            line[3 * f] = (c >> 16) & 0xff;
            line[3 * f + 1] = (c >> 8) & 0xff;
            line[3 * f + 2] = c & 0xff;
        }
    }
    return encodePngRgb(rgb.data(), width, height);
}

} // namespace emoscope::cli
