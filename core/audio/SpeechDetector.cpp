// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/SpeechDetector.h"

#include "audio/BlockResampler.h"
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
// a points at the window's first sample; a[0 .. kCorrWindow + kMaxLag] must be valid.
// Cost: the energies are sliding sums (one update per lag) and the cross products run in 8 float lanes, so a frame
// costs ~75k multiply-adds instead of ~220k in double (bench_vad: the whole detector went from ~21 to a few ms per
// second of audio); values agree with the double form to ~1e-6.
float periodicity(const float* a)
{
    double xx = 0;
    for (int n = 0; n < kCorrWindow; ++n) xx += double(a[n]) * a[n];
    double yy = 0;
    for (int n = 0; n < kCorrWindow; ++n) yy += double(a[n + kMinLag - 1]) * a[n + kMinLag - 1];
    float corr[kMaxLag + 2] = {};
    for (int lag = kMinLag - 1; lag <= kMaxLag + 1; ++lag) {
        if (lag > kMinLag - 1) { // slide the lagged window's energy by one sample
            yy += double(a[lag + kCorrWindow - 1]) * a[lag + kCorrWindow - 1] - double(a[lag - 1]) * a[lag - 1];
            if (yy < 0) yy = 0;
        }
        const float* b = a + lag;
        float acc[8] = {};
        for (int n = 0; n < kCorrWindow; n += 8)
            for (int k = 0; k < 8; ++k) acc[k] += a[n + k] * b[n + k];
        const double xy = double(acc[0]) + acc[1] + acc[2] + acc[3] + acc[4] + acc[5] + acc[6] + acc[7];
        corr[lag] = (xx > 0 && yy > 1e-30) ? float(xy / std::sqrt(xx * yy)) : 0.0f;
    }
    float best = 0.0f;
    for (int lag = kMinLag; lag <= kMaxLag; ++lag)
        if (corr[lag] > corr[lag - 1] && corr[lag] >= corr[lag + 1]) best = std::max(best, corr[lag]);
    return best;
}

// Spectral flatness (geometric / arithmetic mean of the power spectrum) over 100-7000 Hz of a 32 ms Hann-windowed
// frame: about 0.5 for white noise, 1e-4..1e-2 for voiced speech, below 1e-8 for a pure tone or hum.
constexpr int kFlatFft = 512;
// at(i) gives sample i of the stream (0 outside it).
template <typename At>
float flatness(At at, long centre, FftwBuffer<float>& in, FftwBuffer<fftwf_complex>& out)
{
    const long start = centre - kFlatFft / 2;
    for (int n = 0; n < kFlatFft; ++n) {
        const double w = 0.5 - 0.5 * std::cos(2.0 * 3.14159265358979323846 * n / kFlatFft);
        in.data()[n] = float(w * at(start + n));
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

struct SpeechDetector::Impl {
    VoiceActivityOptions options;
    int inputRate = 0;
    long long inputSamples = 0;
    std::unique_ptr<BlockResampler> resampler; // to 16 kHz when the input is at another rate
    std::vector<float> resampled;
    std::unique_ptr<webrtc::AudioProcessing> apm;
    FftwBuffer<float> fftIn{kFlatFft};
    FftwBuffer<fftwf_complex> fftOut{kFlatFft / 2 + 1};
    std::vector<float> in = std::vector<float>(kFrame), dest = std::vector<float>(kFrame);

    // 16 kHz samples from off on: x as given, e pre-emphasised (periodicity is measured on it: it flattens the
    // low-frequency tilt that makes pink noise and rumble correlate with itself at pitch lags).
    std::vector<float> x, e;
    long long off = 0;
    float lastX = 0.0f;
    bool any = false;

    SpeechActivity out;
    std::size_t nextFrame = 0;
    std::size_t finalFrames = 0;
    long long runStart = -1; // first frame of the open run of VAD-positive frames, -1 when none
    int runVoiced = 0;
    bool finished = false;

    long long total() const { return off + (long long)x.size(); }

    void append16k(const float* s, std::size_t n)
    {
        for (std::size_t i = 0; i < n; ++i) {
            x.push_back(s[i]);
            e.push_back(s[i] - (any ? 0.95f * lastX : 0.0f));
            lastX = s[i];
            any = true;
        }
    }

    void closeRun(std::size_t end)
    {
        if (runStart < 0) return;
        const std::size_t a = std::size_t(runStart);
        if (options.requireVoicing &&
            (runVoiced < kMinVoicedFrames || double(runVoiced) < kMinVoicedShare * double(end - a)))
            std::fill(out.frameIsSpeech.begin() + long(a), out.frameIsSpeech.begin() + long(end), 0);
        runStart = -1;
        runVoiced = 0;
    }

    // Judges every frame whose look-ahead is known (all remaining whole frames when last).
    void process(bool last)
    {
        const long long n = total();
        const std::size_t frames = std::size_t(n / kFrame); // a trailing partial frame is too short to judge
        const auto at = [&](long i) -> float { return (i >= 0 && i < n) ? x[std::size_t(i - off)] : 0.0f; };
        for (; nextFrame < frames; ++nextFrame) {
            const long long f = (long long)nextFrame;
            const long long corrStart = f * kFrame + kFrame / 2 - kCorrWindow / 2;
            const long long needed = corrStart + kCorrWindow + kMaxLag + 1;
            if (!last && needed > n) break;
            // ProcessStream works on 16-bit scale internally: clamp so clipped input cannot wrap around.
            for (int i = 0; i < kFrame; ++i) in[std::size_t(i)] = std::clamp(at(long(f * kFrame + i)), -1.0f, 1.0f);
            const float* src[1] = {in.data()};
            float* dst[1] = {dest.data()};
            check(apm->ProcessStream(src, kFrame, kRate, webrtc::AudioProcessing::kMono, kRate,
                                     webrtc::AudioProcessing::kMono, dst),
                  "ProcessStream");
            const std::uint8_t voice = apm->voice_detection()->stream_has_voice() ? 1 : 0;
            float per = 0.0f, flat = 0.0f;
            if (voice) {
                if (corrStart >= 0 && needed <= n) per = periodicity(e.data() + (corrStart - off));
                flat = flatness(at, long(f * kFrame + kFrame / 2), fftIn, fftOut);
            }
            out.frameWebrtc.push_back(voice);
            out.frameIsSpeech.push_back(voice);
            out.framePeriodicity.push_back(per);
            out.frameFlatness.push_back(flat);
            if (voice) {
                if (runStart < 0) runStart = f;
                if (per >= kVoicedPeriodicity && flat >= kMinFlatness) ++runVoiced;
            } else {
                closeRun(nextFrame);
            }
            finalFrames = runStart < 0 ? nextFrame + 1 : std::size_t(runStart);
        }
        if (last) {
            closeRun(nextFrame);
            finalFrames = nextFrame;
        }
        // Drop samples no later frame can reach (flatness looks 256 back), in large steps so erasing stays cheap.
        const long long keepFrom = (long long)nextFrame * kFrame + kFrame / 2 - kFlatFft / 2 - kCorrWindow;
        if (keepFrom - off > (1 << 16)) {
            x.erase(x.begin(), x.begin() + (keepFrom - off));
            e.erase(e.begin(), e.begin() + (keepFrom - off));
            off = keepFrom;
        }
    }
};

SpeechDetector::SpeechDetector(int inputRate, const VoiceActivityOptions& options) : impl_(std::make_unique<Impl>())
{
    if (inputRate <= 0) throw std::invalid_argument("voice activity detection: audio has no sample rate");
    impl_->options = options;
    impl_->inputRate = inputRate;
    impl_->apm = makeDetector(options.likelihood);
    if (inputRate != kRate) impl_->resampler = std::make_unique<BlockResampler>(inputRate, kRate);
}

SpeechDetector::~SpeechDetector() = default;

void SpeechDetector::push(const float* samples, std::size_t n)
{
    Impl& d = *impl_;
    if (d.finished) throw std::logic_error("SpeechDetector::push after finish");
    d.inputSamples += (long long)n;
    if (d.resampler) {
        d.resampled.clear();
        d.resampler->push(samples, n, d.resampled);
        d.append16k(d.resampled.data(), d.resampled.size());
    } else {
        d.append16k(samples, n);
    }
    d.process(false);
}

std::size_t SpeechDetector::finalFrames() const { return impl_->finalFrames; }
const SpeechActivity& SpeechDetector::activity() const { return impl_->out; }

const SpeechActivity& SpeechDetector::finish()
{
    Impl& d = *impl_;
    if (d.finished) return d.out;
    if (d.resampler) {
        d.resampled.clear();
        d.resampler->finish(d.resampled);
        d.append16k(d.resampled.data(), d.resampled.size());
    }
    d.process(true);
    d.finished = true;
    SpeechActivity& out = d.out;
    const auto count = [](const std::vector<std::uint8_t>& v) { return double(std::count(v.begin(), v.end(), 1)); };
    out.totalSeconds = double(d.inputSamples) / d.inputRate;
    out.webrtcSeconds = count(out.frameWebrtc) * kFrame / kRate;
    out.speechSeconds = count(out.frameIsSpeech) * kFrame / kRate;
    out.fraction = out.totalSeconds > 0 ? std::min(1.0, out.speechSeconds / out.totalSeconds) : 0.0;
    return out;
}

} // namespace emoscope
