// SPDX-License-Identifier: GPL-3.0-or-later
// Degraded audio made on the fly (noise, reverberation, telephone band, microphone colouring, lossy codecs) for
// training-time augmentation and robustness reports. Free functions on mono float samples at any rate.
//
// Determinism: every random choice comes from the caller's std::mt19937_64 through our own uniform/Gaussian
// mapping (never std::*_distribution, whose algorithms differ between standard libraries), drawn in a fixed order.
// So the same seed and inputs give bit-identical output with the same build. Thread-safe: no shared mutable state
// except the process-wide FFT plan cache (planned under a mutex) and a codec-delay cache (under a mutex).
#pragma once
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace emoscope {

// ---- Noise --------------------------------------------------------------------------------------------------------

// n samples of Gaussian white noise, scaled to RMS exactly 1 (so callers set the level with mixAtSnr).
std::vector<float> whiteNoise(std::size_t n, std::mt19937_64& rng);

// n samples of pink noise, RMS exactly 1: power spectral density ∝ 1/f (-3.01 dB per octave) from 1/2048 of the
// sample rate to Nyquist (10 octaves, whatever the rate), nothing below (no DC or sub-audio rumble eating the SNR).
// Built in the frequency domain (1/sqrt(f) magnitudes, random phases, one inverse FFT).
std::vector<float> pinkNoise(std::size_t n, std::mt19937_64& rng);

// Babble: the sum of all given talkers' clips (other speakers, same sample rate as the target), each entered at a
// random offset and looped (tiled) to n samples, each at equal RMS, the sum scaled to RMS exactly 1.
// Null or silent clips are skipped; throws std::invalid_argument if no usable clip remains (and n > 0).
std::vector<float> babbleNoise(const std::vector<const std::vector<float>*>& talkers, std::size_t n,
                               std::mt19937_64& rng);

// Adds noise to signal in place so that 10*log10(P_signal / P_noise) == snrDb, where P is the mean square taken
// over the signal's length (the noise is tiled from its start when shorter, truncated when longer), computed in
// double precision. A silent signal (P_signal == 0) is left unchanged. Nothing is clipped: the sum may exceed ±1
// (scale the result afterwards if needed; a common gain keeps the SNR). Throws std::invalid_argument when the
// noise is empty or silent while the signal is not.
void mixAtSnr(std::vector<float>& signal, const std::vector<float>& noise, double snrDb);

// ---- Reverberation ------------------------------------------------------------------------------------------------

// Synthetic room impulse response: a unit direct path at sample 0 (no delay, so convolution keeps alignment) and,
// from 2.5 ms on, Gaussian noise under an exponential envelope falling 60 dB in rt60Seconds; length rt60Seconds
// (at least 1 ms). The tail's energy is set so that 10*log10(E_direct / E_tail) == directToReverbDb.
// Throws std::invalid_argument for a non-positive rate or rt60.
std::vector<float> roomImpulse(int sampleRate, double rt60Seconds, double directToReverbDb, std::mt19937_64& rng);

// Linear convolution y = x * h by FFT, truncated to x.size() (causal: y[i] depends on x[0..i]). Level: y is
// rescaled to x's RMS (not its peak: loudness is what features see; reverberation lowers the crest factor, so a
// peak match would make the clip louder). y may therefore exceed ±1 in rare cases. Empty h or silent x gives zeros.
std::vector<float> convolve(const std::vector<float>& x, const std::vector<float>& h);

// ---- Channel ------------------------------------------------------------------------------------------------------

// Zero-phase band-pass (no delay, same length): an FFT-domain mask with raised-cosine edges, 1 on [lowHz, highHz],
// 0 below lowHz*2/3 and above min(1.15*highHz, Nyquist). lowHz <= 0 means no high-pass, highHz >= Nyquist no
// low-pass. The signal is zero-padded enough that the mask's kernel does not wrap around (> 90 dB down).
// Throws std::invalid_argument for a non-positive rate or highHz <= lowHz.
std::vector<float> bandLimit(const std::vector<float>& x, int sampleRate, double lowHz, double highHz);

// Narrow-band telephone channel: resampled to 8 kHz, band-passed to 300-3400 Hz by bandLimit (stop below 200 Hz
// and above 3910 Hz; the 8 kHz resampler removes everything above 4 kHz by >= 140 dB), resampled back to
// sampleRate. Same length as x, no delay. Level is whatever the band keeps (no renormalisation).
std::vector<float> telephoneBand(const std::vector<float>& x, int sampleRate);

// A random gentle microphone response: a 2nd-order Butterworth high-pass at 50-200 Hz (log-uniform), 2 or 3 peaking
// biquads (one per equal log slot of 150 Hz .. min(8 kHz, 0.4*rate), ±6 dB, Q 0.5-2) and a tilt (high shelf at 1.5 kHz, ±4 dB). Causal IIR
// (minimum phase, like a real capsule), same length, output rescaled to x's RMS so only the timbre changes.
std::vector<float> microphoneColouring(const std::vector<float>& x, int sampleRate, std::mt19937_64& rng);

// ---- Lossy codecs -------------------------------------------------------------------------------------------------

enum class LossyCodec { Opus, Vorbis, Mp3 };
const char* toString(LossyCodec codec);

// Encodes and decodes x in memory through libsndfile (sf_open_virtual; Ogg Opus, Ogg Vorbis, MPEG-2/1 Layer III,
// all of which Debian's libsndfile 1.2.0 writes). quality in [0, 1] (clamped) is 1 - SFC_SET_COMPRESSION_LEVEL,
// with SFC_SET_BITRATE_MODE constant (MP3 honours it; Opus and Vorbis ignore it); 0 is the lowest bit-rate.
// Measured on TESS speech at 16 kHz: Opus q=0 11 kb/s, 0.05 22 kb/s, 0.1 33 kb/s; MP3 q=0 8 kb/s, 0.05 17 kb/s,
// 0.1 25 kb/s; Vorbis ~40 kb/s for any q <= 0.1 (its floor at 16 kHz), 58 kb/s at 0.5.
// Rates a codec cannot take are resampled to the next supported one up and back (Opus: 8/12/16/24/48 kHz;
// MP3: the 9 MPEG rates 8-48 kHz; Vorbis: any). The codec's delay (e.g. MP3's encoder delay in CBR mode) is
// measured once per (codec, rate, quality) on a fixed probe and removed, then the output is trimmed or zero-padded
// to x.size(), so it stays sample-aligned with x. Not clipped. By far the costliest degradation (libsndfile runs
// the encoders at full complexity): per 2.5 s at 16 kHz about 60 ms CPU for Opus, 20 ms Vorbis, 8 ms MP3 (the other
// stages take ~1 ms; bench/bench_degradation). Throws std::runtime_error naming the codec and rate if libsndfile
// cannot encode or decode that format.
std::vector<float> lossyCodec(const std::vector<float>& x, int sampleRate, LossyCodec codec, double quality);

// ---- Named conditions for evaluation reports ----------------------------------------------------------------------

enum class NoiseKind { None, White, Pink, Babble };

// One degradation recipe. Stages run in this fixed order, each only when enabled: reverb (rt60Seconds > 0),
// microphone colouring, additive noise at snrDb, telephone band, lossy codec. Finally, if the peak exceeds 1 the
// whole clip is scaled down to peak 1 (one gain: SNR and spectra are unchanged).
struct DegradationCondition {
    std::string name; // stable report key, e.g. "clean", "white_20db", "pink_10db", "babble_5db", "reverb"
    NoiseKind noise = NoiseKind::None;
    double snrDb = 0.0;
    int babbleTalkers = 4; // distinct clips drawn from the pool for one babble (fewer if the pool is smaller)
    double rt60Seconds = 0.0;       // 0: no reverberation
    double directToReverbDb = 0.0;
    bool microphone = false;
    bool telephone = false;
    bool codec = false;
    LossyCodec codecKind = LossyCodec::Opus;
    double codecQuality = 0.0;
};

// The report's fixed list, in this order: clean; white/pink/babble at 20, 10 and 5 dB (white_20db ... babble_5db);
// reverb (rt60 0.6 s, direct-to-reverb 0 dB); telephone; codec_opus (quality 0.05, ≈ 22 kb/s at 16 kHz);
// codec_mp3 (quality 0.05, CBR ≈ 17 kb/s at 16 kHz; ~7x cheaper than Opus, the better choice inside training);
// microphone.
const std::vector<DegradationCondition>& standardConditions();

// The condition by name from standardConditions(); throws std::invalid_argument for an unknown name.
const DegradationCondition& standardCondition(const std::string& name);

// Applies c to x with all randomness from mt19937_64(seed): same (c, x, rate, seed, talkers) -> same output.
// babbleTalkers is the pool of other speakers' clips at sampleRate (never x's own speaker: the caller's job); it is
// only read for NoiseKind::Babble and then must hold at least one usable clip (else std::invalid_argument).
// Output has x.size() samples at sampleRate, peak <= 1 (see DegradationCondition).
std::vector<float> applyCondition(const DegradationCondition& c, const std::vector<float>& x, int sampleRate,
                                  std::uint64_t seed, const std::vector<const std::vector<float>*>& babbleTalkers);

} // namespace emoscope
