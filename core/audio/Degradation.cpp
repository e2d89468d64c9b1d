// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/Degradation.h"

#include "audio/Resampler.h"
#include "util/FftPlanCache.h"

#include <sndfile.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio> // SEEK_SET & co. for the virtual I/O
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <tuple>

namespace emoscope {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Uniform in [a, b).
double uniform(std::mt19937_64& rng, double a, double b) { return a + (b - a) * (double(rng() >> 11) * 0x1.0p-53); }
double logUniform(std::mt19937_64& rng, double a, double b) { return std::exp(uniform(rng, std::log(a), std::log(b))); }

// Marsaglia's polar method: two Gaussians per accepted pair, no trigonometry (about twice Box-Muller's speed);
// our own code so every standard library gives the same numbers.
void fillGaussian(float* out, std::size_t n, std::mt19937_64& rng)
{
    std::size_t i = 0;
    while (i < n) {
        // Two 32-bit uniforms in (-1, 1) from one 64-bit draw: plenty of resolution for noise.
        const std::uint64_t r = rng();
        const double u = (double(std::uint32_t(r)) + 0.5) * 0x1.0p-31 - 1.0;
        const double v = (double(std::uint32_t(r >> 32)) + 0.5) * 0x1.0p-31 - 1.0;
        const double s = u * u + v * v;
        if (s >= 1.0 || s == 0.0)
            continue;
        const double m = std::sqrt(-2.0 * std::log(s) / s);
        out[i++] = float(u * m);
        if (i < n)
            out[i++] = float(v * m);
    }
}

// A uniformly random unit vector (cos, sin) by rejection: no trigonometry.
void randomPhase(std::mt19937_64& rng, double& c, double& s)
{
    for (;;) {
        const std::uint64_t r = rng();
        const double u = (double(std::uint32_t(r)) + 0.5) * 0x1.0p-31 - 1.0;
        const double v = (double(std::uint32_t(r >> 32)) + 0.5) * 0x1.0p-31 - 1.0;
        const double q = u * u + v * v;
        if (q >= 1.0 || q < 1e-12)
            continue;
        const double inv = 1.0 / std::sqrt(q);
        c = u * inv;
        s = v * inv;
        return;
    }
}

double meanSquare(const float* x, std::size_t n)
{
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        s += double(x[i]) * double(x[i]);
    return n ? s / double(n) : 0.0;
}

void scale(std::vector<float>& x, double g)
{
    const float gf = float(g);
    for (float& v : x)
        v *= gf;
}

// Scales x to RMS 1 (left alone when silent).
void normaliseRms(std::vector<float>& x)
{
    const double ms = meanSquare(x.data(), x.size());
    if (ms > 0.0)
        scale(x, 1.0 / std::sqrt(ms));
}

// Powers of two only: training clips come in many lengths and each FFT size keeps a plan forever.
int fftSizeFor(std::size_t n)
{
    std::size_t s = 16;
    while (s < n)
        s <<= 1;
    if (s > (std::size_t(1) << 30))
        throw std::invalid_argument("degradation: signal too long for one FFT");
    return int(s);
}

// Spectrum of x zero-padded to N (N/2+1 bins); also returns the time buffer for reuse.
struct Spectrum {
    int n = 0;
    FftwBuffer<float> time;
    FftwBuffer<fftwf_complex> bins;
    Spectrum(const float* x, std::size_t len, int nfft) : n(nfft), time(std::size_t(nfft)), bins(std::size_t(nfft) / 2 + 1)
    {
        std::copy(x, x + len, time.data());
        std::fill(time.data() + len, time.data() + nfft, 0.0f);
        fftwf_execute_dft_r2c(FftPlanCache::r2c(nfft), time.data(), bins.data());
    }
    // Inverse into time (bins are destroyed), first len samples scaled by 1/N.
    std::vector<float> inverse(std::size_t len)
    {
        fftwf_execute_dft_c2r(FftPlanCache::c2r(n), bins.data(), time.data());
        std::vector<float> y(len);
        const float inv = 1.0f / float(n);
        for (std::size_t i = 0; i < len; ++i)
            y[i] = time.data()[i] * inv;
        return y;
    }
};

// Round trip length fix: resampling rounds, so a down-and-up trip may be a sample off.
void fitLength(std::vector<float>& y, std::size_t n) { y.resize(n, 0.0f); }

// ---- Biquads (RBJ audio EQ cookbook), run in double so low cut-offs at high rates stay stable ----
struct Biquad {
    double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
};

Biquad normalised(double b0, double b1, double b2, double a0, double a1, double a2)
{
    return {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

Biquad highPass(double f0, double fs, double q)
{
    const double w = 2 * kPi * f0 / fs, c = std::cos(w), alpha = std::sin(w) / (2 * q);
    return normalised((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

Biquad peaking(double f0, double fs, double q, double gainDb)
{
    const double A = std::pow(10.0, gainDb / 40), w = 2 * kPi * f0 / fs, c = std::cos(w),
                 alpha = std::sin(w) / (2 * q);
    return normalised(1 + alpha * A, -2 * c, 1 - alpha * A, 1 + alpha / A, -2 * c, 1 - alpha / A);
}

Biquad highShelf(double f0, double fs, double gainDb)
{
    const double A = std::pow(10.0, gainDb / 40), w = 2 * kPi * f0 / fs, c = std::cos(w);
    const double alpha = std::sin(w) / 2 * std::sqrt(2.0); // shelf slope S = 1 (steepest without overshoot)
    const double sa = 2 * std::sqrt(A) * alpha;
    return normalised(A * ((A + 1) + (A - 1) * c + sa), -2 * A * ((A - 1) + (A + 1) * c), A * ((A + 1) + (A - 1) * c - sa),
                      (A + 1) - (A - 1) * c + sa, 2 * ((A - 1) - (A + 1) * c), (A + 1) - (A - 1) * c - sa);
}

// The cascade, one pass over the samples (transposed direct form II per stage).
std::vector<float> runCascade(const std::vector<float>& x, const std::vector<Biquad>& stages)
{
    std::vector<std::array<double, 2>> z(stages.size(), {0.0, 0.0});
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        double v = x[i];
        for (std::size_t s = 0; s < stages.size(); ++s) {
            const Biquad& b = stages[s];
            const double out = b.b0 * v + z[s][0];
            z[s][0] = b.b1 * v - b.a1 * out + z[s][1];
            z[s][1] = b.b2 * v - b.a2 * out;
            v = out;
        }
        y[i] = float(v);
    }
    return y;
}

} // namespace

// ---- Noise --------------------------------------------------------------------------------------------------------

std::vector<float> whiteNoise(std::size_t n, std::mt19937_64& rng)
{
    std::vector<float> x(n);
    fillGaussian(x.data(), n, rng);
    normaliseRms(x);
    return x;
}

std::vector<float> pinkNoise(std::size_t n, std::mt19937_64& rng)
{
    if (n == 0)
        return {};
    const int N = fftSizeFor(n);
    const int bins = N / 2 + 1;
    // Lowest pink bin: 1/2048 of the rate is N/2048 bins (at least bin 1).
    const int kMin = std::max(1, N / 2048);
    FftwBuffer<fftwf_complex> spec{std::size_t(bins)};
    fftwf_complex* s = spec.data();
    for (int k = 0; k < bins; ++k) {
        if (k < kMin) {
            s[k][0] = s[k][1] = 0.0f;
            continue;
        }
        // Random phase, exact 1/sqrt(f) magnitude: the spectrum is exactly 1/f, the waveform Gaussian-like (CLT).
        const double mag = 1.0 / std::sqrt(double(k));
        double c = 0.0, si = 0.0;
        randomPhase(rng, c, si);
        s[k][0] = float(mag * c);
        s[k][1] = float(mag * si);
    }
    s[bins - 1][1] = 0.0f; // Nyquist bin is real
    FftwBuffer<float> time{std::size_t(N)};
    fftwf_execute_dft_c2r(FftPlanCache::c2r(N), s, time.data());
    std::vector<float> x(time.data(), time.data() + n);
    normaliseRms(x);
    return x;
}

std::vector<float> babbleNoise(const std::vector<const std::vector<float>*>& talkers, std::size_t n,
                               std::mt19937_64& rng)
{
    std::vector<double> sum(n, 0.0);
    int used = 0;
    for (const std::vector<float>* t : talkers) {
        if (!t || t->empty())
            continue;
        const double ms = meanSquare(t->data(), t->size());
        if (ms <= 0.0)
            continue;
        ++used;
        const double g = 1.0 / std::sqrt(ms); // equal RMS per talker: no one voice dominates
        const std::size_t len = t->size();
        std::size_t pos = std::size_t(rng() % len);
        const float* p = t->data();
        for (std::size_t i = 0; i < n; ++i) {
            sum[i] += g * double(p[pos]);
            if (++pos == len)
                pos = 0;
        }
    }
    if (used == 0 && n > 0)
        throw std::invalid_argument("babbleNoise: no usable talker clip (all null, empty or silent)");
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i)
        x[i] = float(sum[i]);
    normaliseRms(x);
    return x;
}

void mixAtSnr(std::vector<float>& signal, const std::vector<float>& noise, double snrDb)
{
    const std::size_t n = signal.size();
    const double ps = meanSquare(signal.data(), n);
    if (ps <= 0.0)
        return;
    if (noise.empty())
        throw std::invalid_argument("mixAtSnr: empty noise");
    // P_noise over the signal's length, as tiled.
    double pn = 0.0;
    for (std::size_t i = 0, j = 0; i < n; ++i) {
        pn += double(noise[j]) * double(noise[j]);
        if (++j == noise.size())
            j = 0;
    }
    pn /= double(n);
    if (pn <= 0.0)
        throw std::invalid_argument("mixAtSnr: silent noise");
    const double g = std::sqrt(ps / (pn * std::pow(10.0, snrDb / 10.0)));
    for (std::size_t i = 0, j = 0; i < n; ++i) {
        signal[i] = float(double(signal[i]) + g * double(noise[j]));
        if (++j == noise.size())
            j = 0;
    }
}

// ---- Reverberation ------------------------------------------------------------------------------------------------

std::vector<float> roomImpulse(int sampleRate, double rt60Seconds, double directToReverbDb, std::mt19937_64& rng)
{
    if (sampleRate <= 0 || !(rt60Seconds > 0.0))
        throw std::invalid_argument("roomImpulse: sample rate and rt60 must be positive");
    const std::size_t len = std::max<std::size_t>(std::size_t(std::lround(rt60Seconds * sampleRate)),
                                                  std::size_t(sampleRate / 1000 + 1));
    std::vector<float> h(len, 0.0f);
    h[0] = 1.0f;
    // First reflections arrive a few ms after the direct sound.
    const std::size_t start = std::min(len - 1, std::max<std::size_t>(1, std::size_t(0.0025 * sampleRate)));
    fillGaussian(h.data() + start, len - start, rng);
    // Amplitude falls 60 dB (factor 1000) in rt60: exp(-ln(1000) t / rt60).
    const double step = std::exp(-std::log(1000.0) / (rt60Seconds * sampleRate));
    double env = 1.0, tailEnergy = 0.0;
    for (std::size_t i = start; i < len; ++i, env *= step) {
        h[i] = float(double(h[i]) * env);
        tailEnergy += double(h[i]) * double(h[i]);
    }
    if (tailEnergy > 0.0) {
        const double g = std::sqrt(std::pow(10.0, -directToReverbDb / 10.0) / tailEnergy);
        for (std::size_t i = start; i < len; ++i)
            h[i] = float(double(h[i]) * g);
    }
    return h;
}

std::vector<float> convolve(const std::vector<float>& x, const std::vector<float>& h)
{
    const std::size_t n = x.size();
    if (n == 0)
        return {};
    const double msx = meanSquare(x.data(), n);
    if (h.empty() || msx <= 0.0)
        return std::vector<float>(n, 0.0f);
    // Only the first n output samples are kept, so h beyond n cannot contribute.
    const std::size_t nh = std::min(h.size(), n);
    const int N = fftSizeFor(n + nh - 1);
    Spectrum X(x.data(), n, N);
    Spectrum H(h.data(), nh, N);
    fftwf_complex* a = X.bins.data();
    const fftwf_complex* b = H.bins.data();
    for (int k = 0; k <= N / 2; ++k) {
        const float re = a[k][0] * b[k][0] - a[k][1] * b[k][1];
        const float im = a[k][0] * b[k][1] + a[k][1] * b[k][0];
        a[k][0] = re;
        a[k][1] = im;
    }
    std::vector<float> y = X.inverse(n);
    const double msy = meanSquare(y.data(), n);
    if (msy > 0.0)
        scale(y, std::sqrt(msx / msy));
    return y;
}

// ---- Channel ------------------------------------------------------------------------------------------------------

std::vector<float> bandLimit(const std::vector<float>& x, int sampleRate, double lowHz, double highHz)
{
    if (sampleRate <= 0)
        throw std::invalid_argument("bandLimit: sample rate must be positive");
    if (!(highHz > lowHz))
        throw std::invalid_argument("bandLimit: highHz must exceed lowHz");
    const std::size_t n = x.size();
    if (n == 0)
        return {};
    const double nyq = sampleRate / 2.0;
    const bool hp = lowHz > 0.0;
    const bool lp = highHz < nyq;
    if (!hp && !lp)
        return x;
    // Raised-cosine edges: low side from 2/3*low (0) to low (1), high side from high (1) to min(1.15*high, nyq) (0).
    const double lowStop = lowHz * 2.0 / 3.0;
    const double highStop = std::min(highHz * 1.15, nyq);
    double narrowest = nyq;
    if (hp)
        narrowest = std::min(narrowest, lowHz - lowStop);
    if (lp && highStop > highHz)
        narrowest = std::min(narrowest, highStop - highHz);
    // The kernel of a raised-cosine edge of width d decays as 1/t^3 after ~1/d s; 8/d s of zero padding keeps the
    // wrapped part > 90 dB down.
    const std::size_t guard = std::size_t(std::ceil(8.0 * sampleRate / narrowest));
    const int N = fftSizeFor(n + guard);
    Spectrum X(x.data(), n, N);
    fftwf_complex* s = X.bins.data();
    const double df = double(sampleRate) / N;
    for (int k = 0; k <= N / 2; ++k) {
        const double f = k * df;
        double g = 1.0;
        if (hp) {
            if (f <= lowStop)
                g = 0.0;
            else if (f < lowHz)
                g *= 0.5 - 0.5 * std::cos(kPi * (f - lowStop) / (lowHz - lowStop));
        }
        if (lp) {
            if (f >= highStop)
                g = 0.0;
            else if (f > highHz)
                g *= 0.5 + 0.5 * std::cos(kPi * (f - highHz) / (highStop - highHz));
        }
        s[k][0] *= float(g);
        s[k][1] *= float(g);
    }
    return X.inverse(n);
}

std::vector<float> telephoneBand(const std::vector<float>& x, int sampleRate)
{
    if (sampleRate <= 0)
        throw std::invalid_argument("telephoneBand: sample rate must be positive");
    if (x.empty())
        return {};
    constexpr int kPhoneRate = 8000;
    const std::vector<float> narrow = resample(x.data(), x.size(), sampleRate, kPhoneRate);
    const std::vector<float> band = bandLimit(narrow, kPhoneRate, 300.0, 3400.0);
    std::vector<float> y = resample(band.data(), band.size(), kPhoneRate, sampleRate);
    fitLength(y, x.size());
    return y;
}

std::vector<float> microphoneColouring(const std::vector<float>& x, int sampleRate, std::mt19937_64& rng)
{
    if (sampleRate <= 0)
        throw std::invalid_argument("microphoneColouring: sample rate must be positive");
    const double fs = sampleRate;
    const double nyq = fs / 2.0;
    // Draws in a fixed order (and a fixed count per call) so a seed fixes the response whatever the signal.
    std::vector<Biquad> stages;
    stages.push_back(highPass(std::min(logUniform(rng, 50.0, 200.0), 0.45 * nyq), fs, std::sqrt(0.5)));
    const int peaks = 2 + int(rng() % 2);
    const double fHi = std::max(300.0, std::min(8000.0, 0.4 * fs));
    // One peak per equal log-frequency slot, so peaks never stack into one large bump.
    const double slot = std::log(fHi / 150.0) / peaks;
    for (int i = 0; i < peaks; ++i) {
        const double f0 = 150.0 * std::exp(uniform(rng, slot * i, slot * (i + 1)));
        const double gain = uniform(rng, -6.0, 6.0);
        const double q = logUniform(rng, 0.5, 2.0);
        stages.push_back(peaking(f0, fs, q, gain));
    }
    const double tilt = uniform(rng, -4.0, 4.0);
    stages.push_back(highShelf(std::min(1500.0, 0.45 * nyq), fs, tilt));
    std::vector<float> y = runCascade(x, stages);
    const double msx = meanSquare(x.data(), x.size()), msy = meanSquare(y.data(), y.size());
    if (msx > 0.0 && msy > 0.0)
        scale(y, std::sqrt(msx / msy));
    return y;
}

// ---- Lossy codecs -------------------------------------------------------------------------------------------------

const char* toString(LossyCodec codec)
{
    switch (codec) {
    case LossyCodec::Opus: return "Opus";
    case LossyCodec::Vorbis: return "Vorbis";
    case LossyCodec::Mp3: return "MP3";
    }
    return "unknown codec";
}

namespace {

// A growable in-memory file for libsndfile's virtual I/O.
struct MemoryFile {
    std::vector<unsigned char> bytes;
    sf_count_t pos = 0;
};

sf_count_t memLength(void* user) { return sf_count_t(static_cast<MemoryFile*>(user)->bytes.size()); }

sf_count_t memSeek(sf_count_t offset, int whence, void* user)
{
    auto* m = static_cast<MemoryFile*>(user);
    sf_count_t base = 0;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = m->pos; break;
    case SEEK_END: base = sf_count_t(m->bytes.size()); break;
    default: return -1;
    }
    if (base + offset < 0)
        return -1;
    m->pos = base + offset;
    return m->pos;
}

sf_count_t memRead(void* ptr, sf_count_t count, void* user)
{
    auto* m = static_cast<MemoryFile*>(user);
    const sf_count_t size = sf_count_t(m->bytes.size());
    const sf_count_t k = std::max<sf_count_t>(0, std::min(count, size - m->pos));
    if (k > 0)
        std::memcpy(ptr, m->bytes.data() + m->pos, std::size_t(k));
    m->pos += k;
    return k;
}

sf_count_t memWrite(const void* ptr, sf_count_t count, void* user)
{
    auto* m = static_cast<MemoryFile*>(user);
    if (count <= 0)
        return 0;
    const std::size_t end = std::size_t(m->pos + count);
    if (end > m->bytes.size())
        m->bytes.resize(end);
    std::memcpy(m->bytes.data() + m->pos, ptr, std::size_t(count));
    m->pos += count;
    return count;
}

sf_count_t memTell(void* user) { return static_cast<MemoryFile*>(user)->pos; }

SF_VIRTUAL_IO memoryIo() { return SF_VIRTUAL_IO{memLength, memSeek, memRead, memWrite, memTell}; }

int codecFormat(LossyCodec codec)
{
    switch (codec) {
    case LossyCodec::Opus: return SF_FORMAT_OGG | SF_FORMAT_OPUS;
    case LossyCodec::Vorbis: return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    case LossyCodec::Mp3: return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    }
    return 0;
}

// The rate the codec is run at: the input rate when the codec takes it, else the next supported one up.
int codecRate(LossyCodec codec, int rate)
{
    static const std::vector<int> opus{8000, 12000, 16000, 24000, 48000};
    static const std::vector<int> mp3{8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};
    const std::vector<int>* rates = codec == LossyCodec::Opus ? &opus : codec == LossyCodec::Mp3 ? &mp3 : nullptr;
    if (!rates)
        return rate; // Vorbis takes any rate
    for (int r : *rates)
        if (r >= rate)
            return r;
    return rates->back();
}

struct Decoded {
    std::vector<float> samples;
    int rate = 0;
};

// Encode x (at rate) into memory and decode it back, as libsndfile gives it (delay not removed).
Decoded roundTrip(const std::vector<float>& x, int rate, LossyCodec codec, double quality)
{
    const std::string what = std::string("lossyCodec: libsndfile cannot ");
    const std::string where = std::string(toString(codec)) + " at " + std::to_string(rate) + " Hz";
    SF_VIRTUAL_IO io = memoryIo();
    MemoryFile mem;
    {
        SF_INFO info{};
        info.samplerate = rate;
        info.channels = 1;
        info.format = codecFormat(codec);
        SNDFILE* f = sf_open_virtual(&io, SFM_WRITE, &info, &mem);
        if (!f)
            throw std::runtime_error(what + "write " + where + ": " + sf_strerror(nullptr));
        // Both must come before the first write. Not every codec honours the bit-rate mode (Vorbis is VBR only).
        double level = 1.0 - std::clamp(quality, 0.0, 1.0);
        sf_command(f, SFC_SET_COMPRESSION_LEVEL, &level, sizeof level);
        int mode = SF_BITRATE_MODE_CONSTANT;
        sf_command(f, SFC_SET_BITRATE_MODE, &mode, sizeof mode);
        const sf_count_t written = sf_write_float(f, x.data(), sf_count_t(x.size()));
        const std::string err = written == sf_count_t(x.size()) ? std::string() : sf_strerror(f);
        if (sf_close(f) != 0 || !err.empty())
            throw std::runtime_error(what + "encode " + where + ": " + (err.empty() ? "close failed" : err));
    }
    mem.pos = 0;
    SF_INFO info{};
    SNDFILE* f = sf_open_virtual(&io, SFM_READ, &info, &mem);
    if (!f)
        throw std::runtime_error(what + "decode its own " + where + ": " + sf_strerror(nullptr));
    Decoded d;
    d.rate = info.samplerate;
    std::vector<float> buf(4096 * std::size_t(std::max(1, info.channels)));
    for (;;) {
        const sf_count_t got = sf_readf_float(f, buf.data(), 4096);
        if (got <= 0)
            break;
        for (sf_count_t i = 0; i < got; ++i) {
            double s = 0.0; // codecs may hand back more channels than given; average them
            for (int c = 0; c < info.channels; ++c)
                s += buf[std::size_t(i) * std::size_t(info.channels) + std::size_t(c)];
            d.samples.push_back(float(s / info.channels));
        }
    }
    sf_close(f);
    if (d.rate <= 0)
        throw std::runtime_error(what + "decode its own " + where + ": no sample rate");
    return d;
}

// Lag (in samples) that best aligns y to x, y[i + lag] ~ x[i]: argmax over [-maxLag, maxLag] of the
// cross-correlation, computed by FFT (conj(X) Y).
long bestLag(const std::vector<float>& x, const std::vector<float>& y, long maxLag)
{
    const int N = fftSizeFor(x.size() + y.size());
    Spectrum X(x.data(), x.size(), N);
    Spectrum Y(y.data(), y.size(), N);
    fftwf_complex* a = X.bins.data();
    const fftwf_complex* b = Y.bins.data();
    for (int k = 0; k <= N / 2; ++k) {
        const float re = a[k][0] * b[k][0] + a[k][1] * b[k][1];
        const float im = a[k][0] * b[k][1] - a[k][1] * b[k][0];
        a[k][0] = re;
        a[k][1] = im;
    }
    const std::vector<float> r = X.inverse(std::size_t(N));
    long best = 0;
    float bestScore = r[0];
    for (long lag = -std::min<long>(maxLag, N / 2 - 1); lag <= std::min<long>(maxLag, N / 2 - 1); ++lag) {
        const float v = r[std::size_t(lag >= 0 ? lag : N + lag)];
        if (v > bestScore) {
            bestScore = v;
            best = lag;
        }
    }
    return best;
}

// Codec delay in decoded samples, measured once per (codec, rate, quality) on a fixed probe: a deterministic
// noise burst, band-limited to 3 kHz so every codec keeps it. Cached under a mutex; thread-safe.
long codecDelay(LossyCodec codec, int rate, double quality)
{
    static std::mutex mutex;
    static std::map<std::tuple<int, int, double>, long> cache;
    const auto key = std::make_tuple(int(codec), rate, quality);
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (const auto it = cache.find(key); it != cache.end())
            return it->second;
    }
    std::mt19937_64 rng(0x5eedc0dec);
    std::vector<float> probe(std::size_t(rate) / 2, 0.0f); // 0.5 s
    const std::size_t burst = std::size_t(rate) / 5;
    std::vector<float> noise = whiteNoise(burst, rng);
    noise = bandLimit(noise, rate, 200.0, std::min(3000.0, 0.4 * rate));
    for (std::size_t i = 0; i < burst; ++i)
        probe[std::size_t(rate) / 10 + i] = 0.3f * noise[i];
    const Decoded d = roundTrip(probe, rate, codec, quality);
    const std::vector<float> back = d.rate == rate ? d.samples : resample(d.samples.data(), d.samples.size(), d.rate, rate);
    const long lag = bestLag(probe, back, long(rate) / 5);
    std::lock_guard<std::mutex> lock(mutex);
    cache.emplace(key, lag);
    return lag;
}

} // namespace

std::vector<float> lossyCodec(const std::vector<float>& x, int sampleRate, LossyCodec codec, double quality)
{
    if (sampleRate <= 0)
        throw std::invalid_argument("lossyCodec: sample rate must be positive");
    if (x.empty())
        return {};
    quality = std::clamp(quality, 0.0, 1.0);
    const int rate = codecRate(codec, sampleRate);
    const std::vector<float> in = rate == sampleRate ? x : resample(x.data(), x.size(), sampleRate, rate);
    const long delay = codecDelay(codec, rate, quality);
    const Decoded d = roundTrip(in, rate, codec, quality);
    std::vector<float> back = d.rate == rate ? d.samples : resample(d.samples.data(), d.samples.size(), d.rate, rate);
    if (delay >= 0)
        back.erase(back.begin(), back.begin() + std::min<std::ptrdiff_t>(delay, std::ptrdiff_t(back.size())));
    else
        back.insert(back.begin(), std::size_t(-delay), 0.0f); // decoder trimmed too much: pad the front
    std::vector<float> y = rate == sampleRate ? std::move(back) : resample(back.data(), back.size(), rate, sampleRate);
    fitLength(y, x.size());
    return y;
}

// ---- Named conditions ---------------------------------------------------------------------------------------------

const std::vector<DegradationCondition>& standardConditions()
{
    static const std::vector<DegradationCondition> list = [] {
        std::vector<DegradationCondition> v;
        DegradationCondition clean;
        clean.name = "clean";
        v.push_back(clean);
        const std::pair<NoiseKind, const char*> kinds[] = {
            {NoiseKind::White, "white"}, {NoiseKind::Pink, "pink"}, {NoiseKind::Babble, "babble"}};
        for (const auto& [kind, label] : kinds) {
            for (int snr : {20, 10, 5}) {
                DegradationCondition c;
                c.name = std::string(label) + "_" + std::to_string(snr) + "db";
                c.noise = kind;
                c.snrDb = snr;
                v.push_back(c);
            }
        }
        DegradationCondition reverb;
        reverb.name = "reverb";
        reverb.rt60Seconds = 0.6;
        reverb.directToReverbDb = 0.0;
        v.push_back(reverb);
        DegradationCondition phone;
        phone.name = "telephone";
        phone.telephone = true;
        v.push_back(phone);
        DegradationCondition opus;
        opus.name = "codec_opus";
        opus.codec = true;
        opus.codecKind = LossyCodec::Opus;
        opus.codecQuality = 0.05;
        v.push_back(opus);
        DegradationCondition mp3 = opus;
        mp3.name = "codec_mp3";
        mp3.codecKind = LossyCodec::Mp3;
        v.push_back(mp3);
        DegradationCondition mic;
        mic.name = "microphone";
        mic.microphone = true;
        v.push_back(mic);
        return v;
    }();
    return list;
}

const DegradationCondition& standardCondition(const std::string& name)
{
    for (const DegradationCondition& c : standardConditions())
        if (c.name == name)
            return c;
    throw std::invalid_argument("standardCondition: unknown condition '" + name + "'");
}

std::vector<float> applyCondition(const DegradationCondition& c, const std::vector<float>& x, int sampleRate,
                                  std::uint64_t seed, const std::vector<const std::vector<float>*>& babbleTalkers)
{
    if (sampleRate <= 0)
        throw std::invalid_argument("applyCondition: sample rate must be positive");
    std::mt19937_64 rng(seed);
    std::vector<float> y = x;
    if (c.rt60Seconds > 0.0)
        y = convolve(y, roomImpulse(sampleRate, c.rt60Seconds, c.directToReverbDb, rng));
    if (c.microphone)
        y = microphoneColouring(y, sampleRate, rng);
    switch (c.noise) {
    case NoiseKind::None: break;
    case NoiseKind::White: mixAtSnr(y, whiteNoise(y.size(), rng), c.snrDb); break;
    case NoiseKind::Pink: mixAtSnr(y, pinkNoise(y.size(), rng), c.snrDb); break;
    case NoiseKind::Babble: {
        // A random subset of the pool (partial Fisher-Yates over the usable clips).
        std::vector<const std::vector<float>*> pool;
        for (const std::vector<float>* t : babbleTalkers)
            if (t && !t->empty())
                pool.push_back(t);
        if (pool.empty())
            throw std::invalid_argument("applyCondition(" + c.name + "): babble needs at least one talker clip");
        const std::size_t k = std::min(pool.size(), std::size_t(std::max(1, c.babbleTalkers)));
        for (std::size_t i = 0; i < k; ++i)
            std::swap(pool[i], pool[i + std::size_t(rng() % (pool.size() - i))]);
        pool.resize(k);
        mixAtSnr(y, babbleNoise(pool, y.size(), rng), c.snrDb);
        break;
    }
    }
    if (c.telephone)
        y = telephoneBand(y, sampleRate);
    if (c.codec)
        y = lossyCodec(y, sampleRate, c.codecKind, c.codecQuality);
    float peak = 0.0f;
    for (float v : y)
        peak = std::max(peak, std::abs(v));
    if (peak > 1.0f)
        scale(y, 1.0 / double(peak));
    return y;
}

} // namespace emoscope
