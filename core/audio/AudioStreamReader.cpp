// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/AudioStreamReader.h"

#include "audio/AudioError.h"
#include "audio/BlockResampler.h"
#include "audio/MpegStream.h"
#include "audio/Resampler.h"

#include <sndfile.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <numeric>
#include <stdexcept>
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
    long long fileBytes = 0;
    std::unique_ptr<MpegStream> mpeg; // MPEG audio is decoded by MpegStream, not libsndfile (handle stays null)
    bool framesKnown = true; // false when the header's frame count is not credible
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

// The 'fmt ' chunk of a RIFF/WAVE file whose header libsndfile rejected (tag -1 if not a WAV with a readable one).
// libsndfile reports a codec it lacks in a WAV (MP3, AC-3, WMA...) as a malformed 'fmt ' chunk, and a rate of 0 as
// "Internal error : SF_INFO struct incomplete."; the chunk tells these apart so the user hears the real reason.
struct WavFmt {
    int tag = -1;
    int channels = 0;
    long long rate = 0;
};
WavFmt wavFmt(const std::string& path)
{
    WavFmt fmt;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f)
        return fmt;
    unsigned char head[4096];
    const std::size_t got = std::fread(head, 1, sizeof head, f);
    std::fclose(f);
    auto le32 = [&](std::size_t at) {
        return std::uint32_t(head[at]) | std::uint32_t(head[at + 1]) << 8 | std::uint32_t(head[at + 2]) << 16 |
               std::uint32_t(head[at + 3]) << 24;
    };
    if (got < 12 || std::memcmp(head, "RIFF", 4) != 0 || std::memcmp(head + 8, "WAVE", 4) != 0)
        return fmt;
    for (std::size_t at = 12; at + 10 <= got;) {
        const std::uint32_t size = le32(at + 4);
        if (std::memcmp(head + at, "fmt ", 4) == 0) {
            fmt.tag = int(head[at + 8]) | int(head[at + 9]) << 8;
            if (at + 16 <= got) {
                fmt.channels = int(head[at + 10]) | int(head[at + 11]) << 8;
                fmt.rate = le32(at + 12);
            }
            return fmt;
        }
        at += 8 + std::size_t(size) + (size & 1);
    }
    return fmt;
}

bool libsndfileDecodesWavTag(int tag)
{
    // PCM, MS ADPCM, IEEE float, A-law, mu-law, IMA ADPCM, GSM 6.10, G.721, extensible (sub-format checked inside).
    for (int known : {0x0001, 0x0002, 0x0003, 0x0006, 0x0007, 0x0011, 0x0031, 0x0040, 0xFFFE})
        if (tag == known)
            return true;
    return false;
}


std::string secondsText(double s)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f s", s);
    return buf;
}

const char* fileTypeName(mode_t mode)
{
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "a special file";
}

void refuseNonRegular(const std::string& path, const struct stat& st)
{
    if (S_ISDIR(st.st_mode))
        throw AudioError(AudioErrorKind::NotAFile, path, "is a directory, not a file");
    if (!S_ISREG(st.st_mode))
        throw AudioError(AudioErrorKind::NotAFile, path,
                         std::string("not a regular file (") + fileTypeName(st.st_mode) + ")");
}

// Opens path for reading, classifying every failure. The type is checked before opening: open() on a FIFO blocks
// until a writer appears, and /dev/zero never ends. The open itself is non-blocking and re-checked with fstat, so a
// FIFO swapped in between the two cannot hang us either.
void openAudio(const std::string& path, SndFile& file)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            throw AudioError(AudioErrorKind::NotFound, path, "no such file");
        throw AudioError(AudioErrorKind::ReadFailed, path, std::string("cannot open: ") + std::strerror(e));
    }
    refuseNonRegular(path, st);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        const int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            throw AudioError(AudioErrorKind::NotFound, path, "no such file");
        if (e == EISDIR)
            throw AudioError(AudioErrorKind::NotAFile, path, "is a directory, not a file");
        throw AudioError(AudioErrorKind::ReadFailed, path, std::string("cannot open: ") + std::strerror(e));
    }
    if (::fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        throw AudioError(AudioErrorKind::ReadFailed, path, std::string("cannot stat: ") + std::strerror(e));
    }
    try {
        refuseNonRegular(path, st);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK); // a regular file: ordinary blocking reads from here
    // A 0-byte file holds zero samples: the same kind as a valid header with no data (Empty), not "not audio".
    if (st.st_size == 0) {
        ::close(fd);
        throw AudioError(AudioErrorKind::Empty, path, "empty file (0 bytes)");
    }
    file.fileBytes = static_cast<long long>(st.st_size);

    // MPEG audio goes to libmpg123 directly, with a quiet handle (MpegStream.h says why); it is recognised by
    // libsndfile's own rule, so every other file still opens with libsndfile.
    if (looksLikeMpegAudio(fd)) {
        file.mpeg = std::make_unique<MpegStream>(fd, path); // owns fd from here
        file.framesKnown = file.mpeg->info().frames >= 0;
        return;
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
            const WavFmt fmt = wavFmt(path);
            if (fmt.tag >= 0 && !libsndfileDecodesWavTag(fmt.tag)) {
                char hex[16];
                std::snprintf(hex, sizeof hex, "0x%04X", unsigned(fmt.tag));
                throw AudioError(AudioErrorKind::UnsupportedEncoding, path,
                                 std::string("unsupported encoding: WAV codec ") + hex + " cannot be decoded");
            }
            if (fmt.tag >= 0 && fmt.rate == 0)
                throw AudioError(AudioErrorKind::NotAudio, path, "invalid sample rate 0 in the WAV header");
            if (fmt.tag >= 0 && fmt.channels == 0)
                throw AudioError(AudioErrorKind::NotAudio, path, "invalid channel count 0 in the WAV header");
            // Malformed or truncated headers: the contents are not usable audio.
            throw AudioError(AudioErrorKind::NotAudio, path, "not a valid audio file: " + message);
        }
        }
    }
    if (file.info.samplerate <= 0)
        throw AudioError(AudioErrorKind::NotAudio, path,
                         "invalid sample rate " + std::to_string(file.info.samplerate));
    if (file.info.channels <= 0)
        throw AudioError(AudioErrorKind::NotAudio, path,
                         "invalid channel count " + std::to_string(file.info.channels));
    // libsndfile reports SF_COUNT_MAX (INT64_MAX) frames for a stream whose end it cannot find (a truncated OGG), and
    // a corrupt header can claim anything. No codec packs more than ~1000 frames into a byte, so a larger count is
    // not credible: the length is unknown and the read loop finds it.
    if (file.info.frames < 0 || file.info.frames == SF_COUNT_MAX ||
        double(file.info.frames) > 1000.0 * double(file.fileBytes) + 1e6)
        file.framesKnown = false;
}

AudioInfo infoOf(const std::string& path, const SndFile& file)
{
    if (file.mpeg)
        return file.mpeg->info();
    AudioInfo out;
    out.path = path;
    out.format = majorName(file.info.format);
    out.encoding = encodingName(file.info.format);
    out.sampleRate = file.info.samplerate;
    out.channels = file.info.channels;
    out.frames = file.framesKnown ? static_cast<long long>(file.info.frames) : -1;
    return out;
}

void checkOptions(const DecodeOptions& o)
{
    if (o.targetSampleRate < 0 || o.targetSampleRate > 1000000)
        throw std::invalid_argument("target sample rate must be 0 (the file's own) or 1..1000000 Hz, got " +
                                    std::to_string(o.targetSampleRate));
    if (!std::isfinite(o.maxSeconds) || o.maxSeconds < 0)
        throw std::invalid_argument("maximum length must be a finite number of seconds >= 0 (0: no limit), got " +
                                    std::to_string(o.maxSeconds));
    if (!std::isfinite(o.minSeconds) || o.minSeconds < 0 || o.minSeconds > 60)
        throw std::invalid_argument("minimum length must be 0..60 seconds, got " + std::to_string(o.minSeconds));
}

std::string msText(double seconds)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f ms", seconds * 1000.0);
    return buf;
}

} // namespace

struct AudioStreamReader::Impl {
    std::string path;
    DecodeOptions options;
    SndFile file;
    AudioInfo info;
    int outRate = 0;
    std::unique_ptr<BlockResampler> resampler;
    std::vector<float> block, mono;
    long long framesRead = 0;
    bool done = false;
    long long skipIn = 0;  // decoded frames still to drop after a seek (the MP3 decoder's pre-roll)
    long long skipOut = 0; // output samples still to drop after a seek (the resampler's pre-roll)

    void checkSamples(const float* x, std::size_t n) const
    {
        for (std::size_t i = 0; i < n; ++i) {
            const float v = x[i];
            if (std::isfinite(v) && std::fabs(v) <= kMaxAbsSample)
                continue;
            char at[64];
            const double frame = double(framesRead) + double(i / std::size_t(info.channels));
            std::snprintf(at, sizeof at, "%.3f s", frame / info.sampleRate);
            if (!std::isfinite(v))
                throw AudioError(AudioErrorKind::BadSamples, path,
                                 std::string("non-finite sample (") + (std::isnan(v) ? "NaN" : "Inf") + ") at " + at);
            char value[32];
            std::snprintf(value, sizeof value, "%.3g", double(v));
            throw AudioError(AudioErrorKind::BadSamples, path,
                             std::string("sample value ") + value + " at " + at +
                                 " is far outside full scale [-1, 1] (not a recording)");
        }
    }

    void resampleInto(const float* x, std::size_t n, std::vector<float>& out, bool last)
    {
        try {
            const std::size_t before = out.size();
            if (!resampler) {
                out.insert(out.end(), x, x + n);
            } else {
                resampler->push(x, n, out);
                if (last)
                    resampler->finish(out);
            }
            dropPreRoll(out, before);
        } catch (const std::invalid_argument& e) {
            throw AudioError(AudioErrorKind::UnsupportedEncoding, path, resampleReason(e.what()));
        }
    }

    // After a seek: the first outputs only warmed the filter up (see seek()); they are not the caller's.
    void dropPreRoll(std::vector<float>& out, std::size_t before)
    {
        const long long drop = std::min<long long>(skipOut, (long long)(out.size() - before));
        if (drop <= 0)
            return;
        out.erase(out.begin() + std::ptrdiff_t(before), out.begin() + std::ptrdiff_t(before + std::size_t(drop)));
        skipOut -= drop;
    }

    std::string resampleReason(const std::string& why) const
    {
        return "its sample rate of " + std::to_string(info.sampleRate) + " Hz cannot be converted to the " +
               std::to_string(outRate) + " Hz the analysis needs (" + why + ")";
    }
};

AudioStreamReader::AudioStreamReader(const std::string& path, const DecodeOptions& options)
    : impl_(std::make_unique<Impl>())
{
    checkOptions(options);
    Impl& d = *impl_;
    d.path = path;
    d.options = options;
    openAudio(path, d.file);
    d.info = infoOf(path, d.file);
    const int rate = d.info.sampleRate;
    d.outRate = options.targetSampleRate == 0 ? rate : options.targetSampleRate;
    // The header is enough to refuse: a long or short file costs nothing to decode first.
    if (options.maxSeconds > 0 && d.info.frames > 0 && double(d.info.frames) > options.maxSeconds * rate)
        throw AudioError(AudioErrorKind::TooLong, path,
                         "too long (" + secondsText(double(d.info.frames) / rate) + ", limit " +
                             secondsText(options.maxSeconds) + ")");
    if (options.minSeconds > 0 && d.info.frames > 0 && double(d.info.frames) < options.minSeconds * rate)
        throw AudioError(AudioErrorKind::TooShort, path,
                         "too short to analyze (" + std::to_string(d.info.frames) + " samples, minimum " +
                             msText(options.minSeconds) + ")");
    if (d.outRate != rate) {
        try {
            d.resampler = std::make_unique<BlockResampler>(rate, d.outRate);
            const float probe[1] = {0.0f};
            (void)resample(probe, 1, rate, d.outRate); // designs the filter now: an impossible ratio fails here
        } catch (const std::invalid_argument& e) {
            throw AudioError(AudioErrorKind::UnsupportedEncoding, path, d.resampleReason(e.what()));
        }
    }
}

AudioStreamReader::~AudioStreamReader() = default;

const AudioInfo& AudioStreamReader::info() const { return impl_->info; }
int AudioStreamReader::sampleRate() const { return impl_->outRate; }
const std::string& AudioStreamReader::path() const { return impl_->path; }
double AudioStreamReader::secondsRead() const { return double(impl_->framesRead) / impl_->info.sampleRate; }
double AudioStreamReader::headerSeconds() const
{
    return impl_->info.frames >= 0 ? double(impl_->info.frames) / impl_->info.sampleRate : -1.0;
}

bool AudioStreamReader::read(std::vector<float>& out)
{
    Impl& d = *impl_;
    if (d.done)
        return false;
    const int channels = d.info.channels;
    constexpr sf_count_t kBlockFrames = 32768;
    d.block.resize(static_cast<std::size_t>(kBlockFrames) * std::size_t(channels));
    const sf_count_t got = d.file.mpeg ? d.file.mpeg->read(d.block.data(), long(kBlockFrames))
                                       : sf_readf_float(d.file.handle, d.block.data(), kBlockFrames);
    if (got > 0) {
        const float* mono = d.block.data();
        if (channels > 1) {
            // Average, not sum: a stereo file with identical channels decodes to the same values as mono.
            d.mono.resize(std::size_t(got));
            const float scale = 1.0f / float(channels);
            for (sf_count_t i = 0; i < got; ++i) {
                const float* frame = d.block.data() + i * channels;
                float sum = 0.0f;
                for (int c = 0; c < channels; ++c)
                    sum += frame[c];
                d.mono[std::size_t(i)] = sum * scale;
            }
            mono = d.mono.data();
        }
        // Checked per channel value before the downmix could hide one (NaN + -NaN, +Inf + -Inf).
        d.checkSamples(d.block.data(), std::size_t(got) * std::size_t(channels));
        d.framesRead += got;
        if (d.options.maxSeconds > 0 && double(d.framesRead) > d.options.maxSeconds * d.info.sampleRate)
            throw AudioError(AudioErrorKind::TooLong, d.path,
                             "too long (more than " + secondsText(d.options.maxSeconds) + ")");
        const long long skip = std::min<long long>(d.skipIn, got);
        d.skipIn -= skip;
        d.resampleInto(mono + skip, std::size_t(got - skip), out, false);
        return true;
    }
    d.done = true;
    if (d.file.mpeg)
        d.file.mpeg->checkComplete(); // fewer samples than the header declares: truncated or damaged
    else if (const int code = sf_error(d.file.handle); code != SF_ERR_NO_ERROR)
        throw AudioError(AudioErrorKind::ReadFailed, d.path, std::string("read failed: ") + sf_error_number(code));
    if (d.framesRead == 0)
        throw AudioError(AudioErrorKind::Empty, d.path,
                         d.file.framesKnown ? "empty (no samples)" : "truncated (no decodable audio)");
    if (d.options.minSeconds > 0 && double(d.framesRead) < d.options.minSeconds * d.info.sampleRate)
        throw AudioError(AudioErrorKind::TooShort, d.path,
                         "too short to analyze (" + std::to_string(d.framesRead) + " samples, minimum " +
                             msText(d.options.minSeconds) + ")");
    if (!d.file.framesKnown)
        d.info.frames = d.framesRead; // now known
    d.resampleInto(nullptr, 0, out, true);
    return false;
}

void AudioStreamReader::seek(double seconds)
{
    Impl& d = *impl_;
    if (!std::isfinite(seconds) || seconds < 0)
        throw std::invalid_argument("seek: time must be a finite number of seconds >= 0, got " + std::to_string(seconds));
    const int rate = d.info.sampleRate;
    const long long target = std::llround(seconds * d.outRate); // output sample the next read starts with
    long long inputFrame = target;
    long long preRoll = 0;
    if (d.resampler) {
        // The resampler maps output j to input time j * M / L (to/from = L/M in lowest terms): a restart at an input
        // frame that is a multiple of M keeps the fresh read's output grid. It restarts whole periods early, at
        // least twice the filter's half-width (about 154 input samples, more when downsampling), so the outputs
        // from the target on see the same input on both sides as in a fresh read.
        const long long g = std::gcd(rate, d.outRate);
        const long long L = d.outRate / g, M = rate / g;
        const long long halfWidth = (long long)std::ceil(154.0 * std::max(1.0, double(M) / double(L)));
        const long long periods = (2 * halfWidth + 64 + M - 1) / M;
        const long long startPeriod = std::max(0LL, target / L - periods);
        inputFrame = startPeriod * M;
        preRoll = target - startPeriod * L;
    }
    if (d.info.frames >= 0 && inputFrame > d.info.frames) {
        inputFrame = d.info.frames; // past the end: the next read finds the end
        preRoll = 0;
    }
    long long decoderPreRoll = 0;
    if (d.file.mpeg) {
        // After a jump, libmpg123's synthesis filter bank and MDCT overlap start empty: the first few hundred
        // samples come out wrong (up to 0.1 here). Two MPEG frames (2 x 1152 samples) earlier they are right again.
        decoderPreRoll = std::min<long long>(inputFrame, 2 * 1152);
        d.file.mpeg->seek(inputFrame - decoderPreRoll);
    } else if (sf_seek(d.file.handle, sf_count_t(inputFrame), SEEK_SET) < 0) {
        char what[64];
        std::snprintf(what, sizeof what, "cannot seek to %.3f s: ", double(inputFrame) / rate);
        throw AudioError(AudioErrorKind::ReadFailed, d.path, what + std::string(sf_strerror(d.file.handle)));
    }
    if (d.resampler)
        d.resampler = std::make_unique<BlockResampler>(rate, d.outRate); // no history from before the seek
    d.framesRead = inputFrame - decoderPreRoll;
    d.skipIn = decoderPreRoll;
    d.skipOut = preRoll;
    d.done = false;
}

} // namespace emoscope
