// SPDX-License-Identifier: GPL-3.0-or-later
// A long mono int16 WAV (16 kHz unless told) for the long-file tests and bench: speech clips tiled with silence, written block by
// block (a 2-hour file is ~230 MB on disk and never in memory). Plain C++ over core (no Qt).
#pragma once
#include "audio/AudioDecoder.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fixtures {

// Writes `seconds` of audio: clip 1, 2 s of silence, clip 2, 2 s of silence, ... cycling through clips (decoded at
// the file's rate). Little-endian host assumed (x86, arm64). Returns the number of samples written.
inline long long writeLongSpeechWav(const std::string& path, double seconds, const std::vector<std::string>& clipPaths,
                                    int kRate = 16000)
{
    std::vector<std::vector<std::int16_t>> clips;
    for (const std::string& c : clipPaths) {
        emoscope::DecodeOptions d;
        d.targetSampleRate = kRate;
        const auto a = emoscope::loadAudio(c, d);
        std::vector<std::int16_t> pcm(a.samples.size());
        for (std::size_t i = 0; i < pcm.size(); ++i)
            pcm[i] = std::int16_t(std::lround(std::clamp(a.samples[i], -1.0f, 1.0f) * 32767.0f));
        clips.push_back(std::move(pcm));
    }
    if (clips.empty()) throw std::invalid_argument("writeLongSpeechWav: no clips");
    const long long total = static_cast<long long>(seconds * kRate);
    std::ofstream out(path, std::ios::binary);
    auto le16 = [&](std::uint16_t v) { out.put(char(v & 0xff)).put(char(v >> 8)); };
    auto le32 = [&](std::uint32_t v) { le16(std::uint16_t(v & 0xffff)); le16(std::uint16_t(v >> 16)); };
    const std::uint32_t dataBytes = std::uint32_t(total * 2);
    out.write("RIFF", 4);
    le32(36 + dataBytes);
    out.write("WAVEfmt ", 8);
    le32(16);
    le16(1); // PCM
    le16(1); // mono
    le32(std::uint32_t(kRate));
    le32(std::uint32_t(kRate) * 2);
    le16(2);
    le16(16);
    out.write("data", 4);
    le32(dataBytes);
    const std::vector<std::int16_t> silence(std::size_t(2 * kRate), 0);
    long long written = 0;
    for (std::size_t k = 0; written < total; ++k) {
        const std::vector<std::int16_t>* parts[] = {&clips[k % clips.size()], &silence};
        for (const auto* part : parts) {
            const long long n = std::min<long long>(static_cast<long long>(part->size()), total - written);
            out.write(reinterpret_cast<const char*>(part->data()), std::streamsize(n * 2));
            written += n;
        }
    }
    out.close();
    if (!out) throw std::runtime_error("writeLongSpeechWav: cannot write " + path);
    return written;
}

} // namespace fixtures
