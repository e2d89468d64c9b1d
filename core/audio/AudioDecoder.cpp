// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/AudioDecoder.h"

#include "audio/AudioError.h"
#include "audio/Resampler.h"

#include <sndfile.h>

#include <cerrno>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace emoscope {

namespace {

std::string majorName(int format)
{
    switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV: return "WAV";
    case SF_FORMAT_WAVEX: return "WAVEX";
    case SF_FORMAT_RF64: return "RF64";
    case SF_FORMAT_W64: return "W64";
    case SF_FORMAT_AIFF: return "AIFF";
    case SF_FORMAT_AU: return "AU";
    case SF_FORMAT_CAF: return "CAF";
    case SF_FORMAT_FLAC: return "FLAC";
    case SF_FORMAT_OGG: return "OGG";
    case SF_FORMAT_MPEG: return "MPEG";
    case SF_FORMAT_RAW: return "RAW";
    default: break;
    }
    SF_FORMAT_INFO info{};
    info.format = format & SF_FORMAT_TYPEMASK;
    if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) == 0 && info.name)
        return info.name;
    return "UNKNOWN";
}

std::string encodingName(int format)
{
    switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8: return "PCM_S8";
    case SF_FORMAT_PCM_U8: return "PCM_U8";
    case SF_FORMAT_PCM_16: return "PCM_16";
    case SF_FORMAT_PCM_24: return "PCM_24";
    case SF_FORMAT_PCM_32: return "PCM_32";
    case SF_FORMAT_FLOAT: return "FLOAT";
    case SF_FORMAT_DOUBLE: return "DOUBLE";
    case SF_FORMAT_ULAW: return "ULAW";
    case SF_FORMAT_ALAW: return "ALAW";
    case SF_FORMAT_IMA_ADPCM: return "IMA_ADPCM";
    case SF_FORMAT_MS_ADPCM: return "MS_ADPCM";
    case SF_FORMAT_GSM610: return "GSM610";
    case SF_FORMAT_VORBIS: return "VORBIS";
    case SF_FORMAT_OPUS: return "OPUS";
    case SF_FORMAT_MPEG_LAYER_I: return "MPEG_LAYER_I";
    case SF_FORMAT_MPEG_LAYER_II: return "MPEG_LAYER_II";
    case SF_FORMAT_MPEG_LAYER_III: return "MPEG_LAYER_III";
    case SF_FORMAT_ALAC_16: return "ALAC_16";
    case SF_FORMAT_ALAC_20: return "ALAC_20";
    case SF_FORMAT_ALAC_24: return "ALAC_24";
    case SF_FORMAT_ALAC_32: return "ALAC_32";
    default: break;
    }
    SF_FORMAT_INFO info{};
    info.format = format & SF_FORMAT_SUBMASK;
    if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) == 0 && info.name)
        return info.name;
    return "UNKNOWN";
}

// Owns an open libsndfile handle.
struct SndFile {
    SNDFILE* handle = nullptr;
    SF_INFO info{};
    ~SndFile()
    {
        if (handle)
            sf_close(handle);
    }
};

// libsndfile reports open failures through a process-wide error slot (sf_error(NULL)), so opening and reading that
// slot must not interleave between threads. Opening only parses the header: the lock is held briefly.
std::mutex& openMutex()
{
    static std::mutex* m = new std::mutex; // never destroyed: decoding threads may outlive static destructors
    return *m;
}

// The codec tag of a RIFF/WAVE file whose header libsndfile rejected, or -1 if not a WAV with a readable 'fmt ' chunk.
// libsndfile reports a codec it lacks in a WAV (MP3, AC-3, WMA...) as a malformed 'fmt ' chunk; the tag tells the two
// apart, so the user hears "unsupported encoding" rather than "not valid".
int wavFormatTag(const std::string& path)
{
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f)
        return -1;
    unsigned char head[4096];
    const std::size_t got = std::fread(head, 1, sizeof head, f);
    std::fclose(f);
    auto le32 = [&](std::size_t at) {
        return std::uint32_t(head[at]) | std::uint32_t(head[at + 1]) << 8 | std::uint32_t(head[at + 2]) << 16 |
               std::uint32_t(head[at + 3]) << 24;
    };
    if (got < 12 || std::memcmp(head, "RIFF", 4) != 0 || std::memcmp(head + 8, "WAVE", 4) != 0)
        return -1;
    for (std::size_t at = 12; at + 10 <= got;) {
        const std::uint32_t size = le32(at + 4);
        if (std::memcmp(head + at, "fmt ", 4) == 0)
            return int(head[at + 8]) | int(head[at + 9]) << 8;
        at += 8 + std::size_t(size) + (size & 1);
    }
    return -1;
}

bool libsndfileDecodesWavTag(int tag)
{
    // PCM, MS ADPCM, IEEE float, A-law, mu-law, IMA ADPCM, GSM 6.10, G.721, extensible (sub-format checked inside).
    for (int known : {0x0001, 0x0002, 0x0003, 0x0006, 0x0007, 0x0011, 0x0031, 0x0040, 0xFFFE})
        if (tag == known)
            return true;
    return false;
}

// Opens path for reading, classifying every failure. The file is opened once (no stat-then-open race).
void openAudio(const std::string& path, SndFile& file)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            throw AudioError(AudioErrorKind::NotFound, path, "no such file");
        if (e == EISDIR)
            throw AudioError(AudioErrorKind::NotAFile, path, "is a directory, not a file");
        throw AudioError(AudioErrorKind::ReadFailed, path, std::string("cannot open: ") + std::strerror(e));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        throw AudioError(AudioErrorKind::ReadFailed, path, std::string("cannot stat: ") + std::strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw AudioError(AudioErrorKind::NotAFile, path, "is a directory, not a file");
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw AudioError(AudioErrorKind::NotAFile, path, "not a regular file");
    }
    // A 0-byte file holds zero samples: the same kind as a valid header with no data (Empty), not "not audio".
    if (st.st_size == 0) {
        ::close(fd);
        throw AudioError(AudioErrorKind::Empty, path, "empty file (0 bytes)");
    }

    std::lock_guard<std::mutex> lock(openMutex());
    file.info = SF_INFO{};
    file.handle = sf_open_fd(fd, SFM_READ, &file.info, SF_TRUE); // libsndfile closes fd, also on failure
    if (!file.handle) {
        const int code = sf_error(nullptr);
        const std::string message = sf_error_number(code);
        switch (code) {
        case SF_ERR_UNSUPPORTED_ENCODING:
            throw AudioError(AudioErrorKind::UnsupportedEncoding, path, "unsupported encoding: " + message);
        case SF_ERR_SYSTEM:
            throw AudioError(AudioErrorKind::ReadFailed, path, "cannot read: " + message);
        case SF_ERR_UNRECOGNISED_FORMAT:
            throw AudioError(AudioErrorKind::NotAudio, path, "not an audio file (format not recognised)");
        default: {
            if (const int tag = wavFormatTag(path); tag >= 0 && !libsndfileDecodesWavTag(tag)) {
                char hex[16];
                std::snprintf(hex, sizeof hex, "0x%04X", unsigned(tag));
                throw AudioError(AudioErrorKind::UnsupportedEncoding, path,
                                 std::string("unsupported encoding: WAV codec ") + hex + " cannot be decoded");
            }
            // Malformed or truncated headers: the contents are not usable audio.
            throw AudioError(AudioErrorKind::NotAudio, path, "not a valid audio file: " + message);
        }
        }
    }
    if (file.info.channels <= 0 || file.info.samplerate <= 0)
        throw AudioError(AudioErrorKind::NotAudio, path, "not a valid audio file: no channels or sample rate");
}

AudioInfo infoOf(const std::string& path, const SF_INFO& info)
{
    AudioInfo out;
    out.path = path;
    out.format = majorName(info.format);
    out.encoding = encodingName(info.format);
    out.sampleRate = info.samplerate;
    out.channels = info.channels;
    out.frames = static_cast<long long>(info.frames);
    return out;
}

std::string secondsText(double s)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f s", s);
    return buf;
}

} // namespace

AudioInfo probeAudio(const std::string& path)
{
    SndFile file;
    openAudio(path, file);
    return infoOf(path, file.info);
}

AudioBuffer loadAudio(const std::string& path, const DecodeOptions& options)
{
    if (options.targetSampleRate < 0)
        throw std::invalid_argument("loadAudio: negative targetSampleRate");
    SndFile file;
    openAudio(path, file);
    const int channels = file.info.channels;
    const int rate = file.info.samplerate;
    const bool limited = options.maxSeconds > 0;
    // Refuse before decoding anything: a long file would otherwise cost its whole decode first.
    // Some decoders (MP3 without a length header) only estimate frames; the read loop re-checks.
    const long long maxFrames =
        limited ? static_cast<long long>(std::floor(options.maxSeconds * rate)) : 0;
    if (limited && file.info.frames > maxFrames)
        throw AudioError(AudioErrorKind::TooLong, path,
                         "too long (" + secondsText(double(file.info.frames) / rate) + ", limit " +
                             secondsText(options.maxSeconds) + ")");

    std::vector<float> mono;
    if (file.info.frames > 0 && file.info.frames < (1LL << 31))
        mono.reserve(static_cast<std::size_t>(file.info.frames));
    constexpr sf_count_t kBlockFrames = 16384;
    std::vector<float> block(static_cast<std::size_t>(kBlockFrames) * channels);
    const float scale = 1.0f / float(channels);
    for (;;) {
        const sf_count_t got = sf_readf_float(file.handle, block.data(), kBlockFrames);
        if (got <= 0)
            break;
        if (channels == 1) {
            mono.insert(mono.end(), block.begin(), block.begin() + got);
        } else {
            // Average, not sum: a stereo file with identical channels decodes to the same values as mono.
            for (sf_count_t i = 0; i < got; ++i) {
                const float* frame = block.data() + i * channels;
                float sum = 0.0f;
                for (int c = 0; c < channels; ++c)
                    sum += frame[c];
                mono.push_back(sum * scale);
            }
        }
        if (limited && static_cast<long long>(mono.size()) > maxFrames)
            throw AudioError(AudioErrorKind::TooLong, path,
                             "too long (more than " + secondsText(options.maxSeconds) + ")");
    }
    if (const int code = sf_error(file.handle); code != SF_ERR_NO_ERROR)
        throw AudioError(AudioErrorKind::ReadFailed, path, std::string("read failed: ") + sf_error_number(code));
    if (mono.empty())
        throw AudioError(AudioErrorKind::Empty, path, "empty (no samples)");

    AudioBuffer out;
    if (options.targetSampleRate == 0 || options.targetSampleRate == rate) {
        out.samples = std::move(mono);
        out.sampleRate = rate;
    } else {
        out.samples = resample(mono.data(), mono.size(), rate, options.targetSampleRate);
        out.sampleRate = options.targetSampleRate;
    }
    return out;
}

} // namespace emoscope
