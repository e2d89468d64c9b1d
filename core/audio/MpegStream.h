// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the audio layer (AudioStreamReader): MPEG audio (MP3, MP2) decoded with libmpg123's own API.
// libsndfile's MP3 support is libmpg123 too, but its handle is private and prints a damaged stream's complaints
// straight to stderr; silencing that took pointing the whole process's stderr elsewhere during a decode, which
// also swallowed other threads' messages. Our handle is quiet (MPG123_QUIET), so nothing touches stderr, and the
// damage is found from libmpg123's own answers instead of its printed text.
#include "audio/AudioBuffer.h"
#include <memory>
#include <string>

namespace emoscope {

// True when the file at fd starts, after any ID3v2 tags, with an MPEG audio frame header: the rule libsndfile
// uses to call a file MPEG (it checks every other format's magic first, and none starts with a frame sync).
// Reads with pread, so fd's position is untouched.
bool looksLikeMpegAudio(int fd);

class MpegStream {
public:
    // Takes ownership of fd (closed on destruction, also when this throws). Throws AudioError naming path.
    MpegStream(int fd, const std::string& path);
    ~MpegStream();
    MpegStream(const MpegStream&) = delete;
    MpegStream& operator=(const MpegStream&) = delete;

    // format "MPEG", encoding "MPEG_LAYER_I/II/III", rate, channels; frames -1 unless the encoder's (LAME/Info)
    // header states the exact length (an estimate from the file size is not credible for VBR streams).
    const AudioInfo& info() const;
    // Reads up to `frames` interleaved float frames into out; 0 at the end. Throws AudioError (ReadFailed) for a
    // stream libmpg123 cannot go on decoding.
    long read(float* out, long frames);
    // Positions the next read at `frame` (the file's rate, gapless: frame 0 is the first encoded sample).
    // Sample-accurate (libmpg123 scans the frames it has not indexed yet). Throws AudioError (ReadFailed).
    void seek(long long frame);
    // After the last read: throws AudioError (ReadFailed) when fewer frames came out than the header declares.
    void checkComplete() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace emoscope
