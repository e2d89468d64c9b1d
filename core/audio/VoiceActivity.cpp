// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/VoiceActivity.h"

#include "audio/Resampler.h"
#include "util/FftPlanCache.h"

#include <webrtc/modules/audio_processing/include/audio_processing.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>

namespace emoscope {

namespace {

constexpr int kRate = 16000;
constexpr int kFrame = kRate / 100; // 10 ms, the frame size ProcessStream takes

// Voicing: normalised autocorrelation over a 20 ms window centred on the frame, at pitch lags 60..400 Hz.
constexpr int kCorrWindow = kRate / 50;
constexpr int kMinLag = kRate / 400;
constexpr int kMaxLag = kRate / 60;
// A frame is voiced when its best local autocorrelation peak (on the pre-emphasised signal) reaches this. Measured
// on WebRTC-positive frames (bench_vad --features): white and pink noise peak at 0.27 at most (p99), TESS speech
// frames have a median of 0.81.
constexpr float kVoicedPeriodicity = 0.5f;
// ... and when it is not a pure tone: spectral flatness over 100-7000 Hz of at least this. A tone sweep's frames
// stay below 2.1e-9 (p99), periodic TESS frames are above 3.2e-5 (p1).
constexpr float kMinFlatness = 1e-6f;
// A run of VAD-positive frames is speech when this share of its frames, and at least kMinVoicedFrames, are voiced.
// TESS clips have 36 % or more (the lowest of 420 test clips); a run of noise or a sweep has (almost) none.
constexpr double kMinVoicedShare = 0.1;
constexpr int kMinVoicedFrames = 3; // 30 ms

void check(int status, const char* step)
{
    if (status != webrtc::AudioProcessing::kNoError)
        throw std::runtime_error(std::string("voice activity detection: WebRTC ") + step + " failed (error " +
                                 std::to_string(status) + ")");
}

std::unique_ptr<webrtc::AudioProcessing> makeDetector(int likelihood)
{
    if (likelihood < 0 || likelihood > 3)
        throw std::invalid_argument("voice activity likelihood must be 0..3, got " + std::to_string(likelihood));
    std::unique_ptr<webrtc::AudioProcessing> apm(webrtc::AudioProcessing::Create());
    if (!apm) throw std::runtime_error("voice activity detection: cannot create the WebRTC audio processing module");
    webrtc::VoiceDetection* vd = apm->voice_detection();
    check(vd->Enable(true), "enabling voice detection");
    check(vd->set_likelihood(webrtc::VoiceDetection::Likelihood(likelihood)), "setting the likelihood");
    check(vd->set_frame_size_ms(10), "setting the frame size");
    return apm;
}

// Highest interior local maximum of the normalised autocorrelation at pitch lags. Local maxima only: the
// autocorrelation of low-pass noise (pink, hum) falls smoothly from lag 0 and must not count as a pitch.
float periodicity(const std::vector<float>& x, std::size_t frame)
{
    const long centre = long(frame) * kFrame + kFrame / 2;
    const long start = centre - kCorrWindow / 2;
    if (start < 0 || std::size_t(start + kCorrWindow + kMaxLag + 1) > x.size()) return 0.0f;
    const float* a = x.data() + start;
    auto corr = [&](int lag) {
        double xy = 0, xx = 0, yy = 0;
        for (int n = 0; n < kCorrWindow; ++n) {
            xy += double(a[n]) * a[n + lag];
            xx += double(a[n]) * a[n];
            yy += double(a[n + lag]) * a[n + lag];
        }
        return (xx > 0 && yy > 0) ? float(xy / std::sqrt(xx * yy)) : 0.0f;
    };
    float best = 0.0f;
    float prev = corr(kMinLag - 1), cur = corr(kMinLag);
    for (int lag = kMinLag; lag <= kMaxLag; ++lag) {
        const float next = corr(lag + 1);
        if (cur > prev && cur >= next) best = std::max(best, cur);
        prev = cur;
        cur = next;
    }
    return best;
}

// Spectral flatness (geometric / arithmetic mean of the power spectrum) over 100-7000 Hz of a 32 ms Hann-windowed
// frame: about 0.5 for white noise, 1e-4..1e-2 for voiced speech, below 1e-8 for a pure tone or hum.
constexpr int kFlatFft = 512;
float flatness(const std::vector<float>& x, std::size_t frame, FftwBuffer<float>& in, FftwBuffer<fftwf_complex>& out)
{
    const long start = long(frame) * kFrame + kFrame / 2 - kFlatFft / 2;
    for (int n = 0; n < kFlatFft; ++n) {
        const long i = start + n;
        const double w = 0.5 - 0.5 * std::cos(2.0 * 3.14159265358979323846 * n / kFlatFft);
        in.data()[n] = (i >= 0 && std::size_t(i) < x.size()) ? float(w * x[std::size_t(i)]) : 0.0f;
    }
    fftwf_execute_dft_r2c(FftPlanCache::r2c(kFlatFft), in.data(), out.data());
    const int lo = 100 * kFlatFft / kRate, hi = 7000 * kFlatFft / kRate;
    double logSum = 0, sum = 0;
    for (int k = lo; k <= hi; ++k) {
        const double p = double(out.data()[k][0]) * out.data()[k][0] + double(out.data()[k][1]) * out.data()[k][1] + 1e-20;
        logSum += std::log(p);
        sum += p;
    }
    const int bins = hi - lo + 1;
    return sum > 0 ? float(std::exp(logSum / bins) / (sum / bins)) : 0.0f;
}

} // namespace

SpeechActivity detectSpeech(const AudioBuffer& audio, const VoiceActivityOptions& options)
{
    if (audio.sampleRate <= 0) throw std::invalid_argument("voice activity detection: audio has no sample rate");
    SpeechActivity out;
    out.totalSeconds = audio.durationSeconds();
    if (audio.samples.empty()) return out;
    const std::vector<float> x = resample(audio.samples.data(), audio.samples.size(), audio.sampleRate, kRate);
    const std::size_t frames = x.size() / kFrame; // a trailing partial frame is too short to judge

    // Periodicity is measured on a pre-emphasised copy: it flattens the low-frequency tilt that makes pink noise
    // (and rumble) correlate with itself at pitch lags, while a voice's harmonics keep their common period.
    std::vector<float> emphasised(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) emphasised[i] = x[i] - (i ? 0.95f * x[i - 1] : 0.0f);
    FftwBuffer<float> fftIn(kFlatFft);
    FftwBuffer<fftwf_complex> fftOut(kFlatFft / 2 + 1);

    auto apm = makeDetector(options.likelihood);
    std::vector<float> in(kFrame), dest(kFrame);
    out.frameWebrtc.assign(frames, 0);
    out.framePeriodicity.assign(frames, 0.0f);
    out.frameFlatness.assign(frames, 0.0f);
    for (std::size_t f = 0; f < frames; ++f) {
        // ProcessStream works on 16-bit scale internally: clamp so clipped input cannot wrap around.
        for (int i = 0; i < kFrame; ++i) in[std::size_t(i)] = std::clamp(x[f * kFrame + std::size_t(i)], -1.0f, 1.0f);
        const float* src[1] = {in.data()};
        float* dst[1] = {dest.data()};
        check(apm->ProcessStream(src, kFrame, kRate, webrtc::AudioProcessing::kMono, kRate,
                                 webrtc::AudioProcessing::kMono, dst),
              "ProcessStream");
        out.frameWebrtc[f] = apm->voice_detection()->stream_has_voice() ? 1 : 0;
        if (out.frameWebrtc[f]) {
            out.framePeriodicity[f] = periodicity(emphasised, f);
            out.frameFlatness[f] = flatness(x, f, fftIn, fftOut);
        }
    }

    out.frameIsSpeech = out.frameWebrtc;
    if (options.requireVoicing) {
        // Keep a run of VAD-positive frames only if it holds voiced frames: speech's vowels are periodic and
        // harmonic-rich; noise is not periodic and a tone is not harmonic-rich. Whole runs are kept so unvoiced
        // consonants next to vowels still count as speech.
        for (std::size_t a = 0; a < frames;) {
            if (!out.frameWebrtc[a]) {
                ++a;
                continue;
            }
            std::size_t b = a;
            int voiced = 0;
            for (; b < frames && out.frameWebrtc[b]; ++b)
                if (out.framePeriodicity[b] >= kVoicedPeriodicity && out.frameFlatness[b] >= kMinFlatness) ++voiced;
            if (voiced < kMinVoicedFrames || double(voiced) < kMinVoicedShare * double(b - a))
                std::fill(out.frameIsSpeech.begin() + long(a), out.frameIsSpeech.begin() + long(b), 0);
            a = b;
        }
    }
    const auto count = [](const std::vector<std::uint8_t>& v) { return double(std::count(v.begin(), v.end(), 1)); };
    out.webrtcSeconds = count(out.frameWebrtc) * kFrame / kRate;
    out.speechSeconds = count(out.frameIsSpeech) * kFrame / kRate;
    out.fraction = out.totalSeconds > 0 ? std::min(1.0, out.speechSeconds / out.totalSeconds) : 0.0;
    return out;
}

} // namespace emoscope
