// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/MpegStream.h"
#include "audio/AudioError.h"

#include <mpg123.h>

#include <cstdio>
#include <unistd.h>

namespace emoscope {

namespace {

bool isMpegFrameHeader(const unsigned char* h)
{
    return h[0] == 0xFF && (h[1] & 0xE0) == 0xE0 // frame sync
        && (h[1] & 0x18) != 0x08                  // a valid MPEG version
        && (h[1] & 0x06) != 0x00                  // a valid layer
        && (h[2] & 0xF0) != 0xF0                  // a valid bitrate index
        && (h[2] & 0x0C) != 0x0C;                 // a valid sample-rate index
}

// libmpg123 before 1.27 needs its tables set up once; later versions make this a no-op.
void initialiseOnce()
{
    static const int result = mpg123_init();
    (void)result;
}

} // namespace

bool looksLikeMpegAudio(int fd)
{
    unsigned char head[10];
    off_t at = 0;
    for (int tags = 0; tags < 8; ++tags) { // ID3v2 tags may repeat; each is skipped as libsndfile does
        if (::pread(fd, head, sizeof head, at) != ssize_t(sizeof head))
            return false;
        if (head[0] != 'I' || head[1] != 'D' || head[2] != '3')
            return isMpegFrameHeader(head);
        // Size: four 7-bit bytes, after the 10-byte header; plus a 10-byte footer when flagged.
        const off_t size = (off_t(head[6] & 0x7F) << 21) | (off_t(head[7] & 0x7F) << 14) | (off_t(head[8] & 0x7F) << 7) |
                           off_t(head[9] & 0x7F);
        at += 10 + size + ((head[5] & 0x10) ? 10 : 0);
    }
    return false;
}

struct MpegStream::Impl {
    std::string path;
    int fd = -1;
    mpg123_handle* handle = nullptr;
    AudioInfo info;
    long long declaredFrames = -1; // from the LAME/Info header, exact
    long long framesOut = 0;

    ~Impl()
    {
        if (handle)
            mpg123_delete(handle);
        if (fd >= 0)
            ::close(fd);
    }

    [[noreturn]] void fail(AudioErrorKind kind, const std::string& what) const
    {
        throw AudioError(kind, path, what + " (libmpg123: " + mpg123_strerror(handle) + ")");
    }
};

MpegStream::MpegStream(int fd, const std::string& path) : impl_(std::make_unique<Impl>())
{
    Impl& d = *impl_;
    d.path = path;
    d.fd = fd;
    initialiseOnce();
    int error = MPG123_OK;
    d.handle = mpg123_new(nullptr, &error);
    if (!d.handle)
        throw AudioError(AudioErrorKind::ReadFailed, path,
                         std::string("cannot start the MP3 decoder: ") + mpg123_plain_strerror(error));
    // Quiet: complaints come back as return codes, never as text on the process's stderr. Gapless: the encoder's
    // delay and padding are cut, so a file decodes to exactly the samples that were encoded. No resampling.
    mpg123_param(d.handle, MPG123_ADD_FLAGS, MPG123_QUIET | MPG123_FORCE_FLOAT | MPG123_GAPLESS, 0.0);
    mpg123_param(d.handle, MPG123_REMOVE_FLAGS, MPG123_AUTO_RESAMPLE, 0.0);
    if (mpg123_open_fd(d.handle, fd) != MPG123_OK)
        d.fail(AudioErrorKind::ReadFailed, "cannot read the MP3 stream");
    long rate = 0;
    int channels = 0, encoding = 0;
    if (mpg123_getformat(d.handle, &rate, &channels, &encoding) != MPG123_OK)
        d.fail(AudioErrorKind::NotAudio, "not a valid MP3 stream");
    // This format only, as float: a stream that changes rate or channels midway is refused, not resampled.
    mpg123_format_none(d.handle);
    if (mpg123_format(d.handle, rate, channels, MPG123_ENC_FLOAT_32) != MPG123_OK)
        d.fail(AudioErrorKind::UnsupportedEncoding, "unsupported MP3 format");
    mpg123_frameinfo2 frame{};
    const int layer = mpg123_info2(d.handle, &frame) == MPG123_OK ? frame.layer : 3;
    d.info.path = path;
    d.info.format = "MPEG";
    d.info.encoding = layer == 1 ? "MPEG_LAYER_I" : layer == 2 ? "MPEG_LAYER_II" : "MPEG_LAYER_III";
    d.info.sampleRate = int(rate);
    d.info.channels = channels;
    // The encoder's header (LAME/Info: it carries the delay) states the exact length; without it mpg123_length is
    // an estimate from the file size and the first frame's bitrate, wrong for VBR.
    long encoderDelay = -1;
    double unused = 0;
    const bool exactLength = mpg123_getstate(d.handle, MPG123_ENC_DELAY, &encoderDelay, &unused) == MPG123_OK &&
                             encoderDelay >= 0;
    const off_t length = mpg123_length(d.handle);
    d.declaredFrames = exactLength && length > 0 ? static_cast<long long>(length) : -1;
    d.info.frames = d.declaredFrames;
}

MpegStream::~MpegStream() = default;

const AudioInfo& MpegStream::info() const { return impl_->info; }

long MpegStream::read(float* out, long frames)
{
    Impl& d = *impl_;
    const std::size_t frameBytes = sizeof(float) * std::size_t(d.info.channels);
    std::size_t filled = 0;
    const std::size_t wanted = std::size_t(frames) * frameBytes;
    auto* bytes = reinterpret_cast<unsigned char*>(out);
    while (filled < wanted) {
        std::size_t done = 0;
        const int status = mpg123_read(d.handle, bytes + filled, wanted - filled, &done);
        filled += done;
        if (status == MPG123_DONE)
            break;
        if (status == MPG123_NEW_FORMAT) // the first frame's format, announced once: the one set above
            continue;
        if (status != MPG123_OK)
            d.fail(AudioErrorKind::ReadFailed, "damaged or truncated MP3 stream");
    }
    const long got = long(filled / frameBytes);
    d.framesOut += got;
    return got;
}

void MpegStream::seek(long long frame)
{
    Impl& d = *impl_;
    // Gapless mode counts in the decoded samples the encoder was given, so `frame` means the same as in read().
    const off_t at = mpg123_seek(d.handle, off_t(frame), SEEK_SET);
    if (at < 0) {
        char what[64];
        std::snprintf(what, sizeof what, "cannot seek to %.3f s", double(frame) / d.info.sampleRate);
        d.fail(AudioErrorKind::ReadFailed, what);
    }
    d.framesOut = static_cast<long long>(at);
}

void MpegStream::checkComplete() const
{
    const Impl& d = *impl_;
    if (d.declaredFrames < 0 || d.framesOut >= d.declaredFrames)
        return;
    char what[160];
    std::snprintf(what, sizeof what, "decoded %.2f s of the %.2f s its header declares",
                  double(d.framesOut) / d.info.sampleRate, double(d.declaredFrames) / d.info.sampleRate);
    throw AudioError(AudioErrorKind::ReadFailed, d.path, std::string("damaged or truncated MP3 stream (libmpg123: ") +
                                                             what + ")");
}

} // namespace emoscope
