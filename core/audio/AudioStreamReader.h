// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include "audio/AudioDecoder.h"
#include <memory>
#include <string>
#include <vector>

namespace emoscope {

// Decodes a file block by block, downmixed to mono and resampled (BlockResampler: the same `resample` loadAudio
// and training use) to DecodeOptions::targetSampleRate, so hours of audio pass through in bounded memory.
// The file is checked before any sample is read: its type (a FIFO or device is refused without opening it for a
// blocking read), its header, and its length against maxSeconds. While reading, every block is checked: non-finite
// or absurd samples, and the length limit for formats whose header cannot be trusted, throw AudioError.
// All errors are AudioError, one line "<path>: <reason>". Not thread-safe: one instance per stream.
class AudioStreamReader {
public:
    AudioStreamReader(const std::string& path, const DecodeOptions& options = {});
    ~AudioStreamReader();
    AudioStreamReader(const AudioStreamReader&) = delete;
    AudioStreamReader& operator=(const AudioStreamReader&) = delete;

    // The header. frames is -1 when the header's count is not credible (e.g. a truncated OGG stream).
    const AudioInfo& info() const;
    // Rate of the samples read() appends.
    int sampleRate() const;
    const std::string& path() const;
    // Appends the next block (about half a second to a few seconds of audio). Returns false, appending nothing
    // more, once the file is exhausted; the last call also checks the minimum length and read errors.
    bool read(std::vector<float>& out);
    // Seconds of the file decoded so far (at the file's rate), for progress.
    double secondsRead() const;
    // Duration from the header, or -1 when unknown.
    double headerSeconds() const;
    // Repositions decoding so the next read() appends the samples a fresh reader would give from output sample
    // round(seconds * sampleRate()) on (playback of a streamed file seeks with it). PCM and FLAC at the file's rate
    // give the very samples. With resampling, and for MP3 (whose decoder needs its filter history back), decoding
    // restarts a little early and drops that pre-roll, so the filters see the same input as in a fresh read: the
    // result agrees with it to float rounding (about 1e-7), not bit for bit. Past the end of a file of known
    // length it positions at the end. Throws AudioError when the file cannot seek, std::invalid_argument for a
    // negative or non-finite time.
    void seek(double seconds);

    // Largest absolute sample value accepted: 60 dB above full scale. Louder "audio" is not a recording (e.g. float
    // WAVs holding ±1e30) and would make the log-mel overflow to NaN; refusing names the problem instead of
    // clamping it into a square wave that classifies as something.
    static constexpr float kMaxAbsSample = 1000.0f;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace emoscope
