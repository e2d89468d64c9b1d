// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/FftResampler.h"

#include "util/FftPlanCache.h"
#include "util/LruCache.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <string>

namespace emoscope {

namespace {

// Why this works: with h a compactly supported (|t| <= W) low-pass kernel, the block's DFT X times H (h's spectrum)
// evaluated back on any grid equals sum_n x[n] h(t - n) exactly for t at least W away from the block edges (Poisson
// summation; the dropped terms are h's spectrum beyond the kept bins, i.e. stopband). The new grid has spacing
// M/L input samples, so the inverse FFT of N*L/M points samples it directly; N is a multiple of M for that.
constexpr double kStopbandDb = 140.0;
// Band edges as fractions of the lower Nyquist frequency, chosen to follow libsamplerate SINC_BEST's measured response
// (flat to 0.94, -6 dB near 0.965, >= 140 dB down from the Nyquist on), so both resamplers give the same features.
constexpr double kPassband = 0.935;
constexpr double kStopband = 0.995;

double besselI0(double x)
{
    double sum = 1.0, term = 1.0;
    for (int k = 1; k < 200; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        if (term < sum * 1e-17)
            break;
    }
    return sum;
}

struct Design {
    long long L = 1, M = 1; // output/input rate ratio in lowest terms
    int N = 0, Nout = 0;    // FFT sizes: N input, Nout = N*L/M output
    int W = 0;              // kernel half-width in input samples
    int outputsPerBlock = 0;
    std::vector<float> H;   // real spectrum of the kernel, bins 0..min(N, Nout)/2
    FftPlanRef forward, inverse; // owned: an evicted cache entry stays valid while a design uses it
};

std::unique_ptr<Design> makeDesign(int fromRate, int toRate)
{
    auto d = std::make_unique<Design>();
    const long long g = std::gcd(fromRate, toRate);
    d->L = toRate / g;
    d->M = fromRate / g;
    // Cut-off and transition in cycles per input sample, relative to the lower Nyquist.
    const double nyquist = 0.5 * std::min(1.0, double(d->L) / double(d->M));
    const double fc = 0.5 * (kPassband + kStopband) * nyquist;
    const double transition = (kStopband - kPassband) * nyquist;
    // Kaiser design formulas: beta for the attenuation, length for the transition width.
    const double beta = 0.1102 * (kStopbandDb - 8.7);
    const double taps = (kStopbandDb - 7.95) / (14.36 * transition);
    d->W = int(std::ceil(taps / 2.0));
    // N: a multiple of M, large enough that the 2W overlap is a small share of each block.
    const long long minN = std::max<long long>(8192, 8LL * d->W);
    long long N = d->M * ((minN + d->M - 1) / d->M);
    if (N % 2)
        N *= 2; // even sizes: the Nyquist bins are well defined
    if (N > (1LL << 26) || N * d->L / d->M > (1LL << 26))
        throw std::invalid_argument("resample: ratio " + std::to_string(fromRate) + " -> " + std::to_string(toRate) +
                                    " needs too large an FFT block");
    d->N = int(N);
    d->Nout = int(N * d->L / d->M);
    if (d->Nout % 2) { // keep both sizes even
        d->N *= 2;
        d->Nout *= 2;
    }
    d->outputsPerBlock = int(double(d->N - 2 * d->W - 4) * double(d->L) / double(d->M));
    if (d->outputsPerBlock < 1)
        throw std::logic_error("resampleFft: block too small");

    // Kernel sampled at integer lags, placed circularly; its DFT is H (aliases of H lie in the stopband).
    FftwBuffer<float> h(std::size_t(d->N));
    std::fill(h.data(), h.data() + d->N, 0.0f);
    const double i0Beta = besselI0(beta);
    for (int t = -d->W; t <= d->W; ++t) {
        const double x = 2.0 * fc * t;
        const double sinc = t == 0 ? 1.0 : std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
        const double r = double(t) / (d->W + 1);
        const double window = besselI0(beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / i0Beta;
        h.data()[(t + d->N) % d->N] = float(2.0 * fc * sinc * window);
    }
    d->forward = FftPlanCache::r2c(d->N);
    d->inverse = FftPlanCache::c2r(d->Nout);
    FftwBuffer<fftwf_complex> spectrum(std::size_t(d->N) / 2 + 1);
    fftwf_execute_dft_r2c(d->forward, h.data(), spectrum.data());
    const int bins = std::min(d->N, d->Nout) / 2 + 1;
    d->H.resize(std::size_t(bins));
    for (int k = 0; k < bins; ++k)
        d->H[std::size_t(k)] = spectrum.data()[k][0] / float(d->N); // symmetric kernel: real; 1/N: inverse FFT scale
    return d;
}

// Bounded (LRU): files at many odd rates must not grow memory without bound (a 5 MHz design is ~200 MB).
struct DesignRegistry {
    std::mutex mutex;
    LruCache<std::pair<int, int>, const Design> designs{kResamplerDesignCapacity};
};

DesignRegistry& designRegistry()
{
    // Never destroyed, like the FFT plans: a worker may still resample while static destructors run at exit.
    static DesignRegistry* registry = new DesignRegistry;
    return *registry;
}

std::shared_ptr<const Design> designFor(int fromRate, int toRate)
{
    DesignRegistry& r = designRegistry();
    {
        std::lock_guard<std::mutex> lock(r.mutex);
        if (auto hit = r.designs.find({fromRate, toRate}))
            return hit;
    }
    // Designed outside the lock (it takes milliseconds); two threads may both design a new pair, which is harmless.
    std::shared_ptr<const Design> made = makeDesign(fromRate, toRate);
    std::vector<std::shared_ptr<const Design>> evicted; // released after the lock
    std::lock_guard<std::mutex> lock(r.mutex);
    if (auto hit = r.designs.find({fromRate, toRate}))
        return hit;
    evicted = r.designs.insert({fromRate, toRate}, made);
    return made;
}

} // namespace

std::vector<float> resampleFft(const float* samples, std::size_t n, int fromRate, int toRate)
{
    if (fromRate <= 0 || toRate <= 0)
        throw std::invalid_argument("resample: sample rates must be positive (got " + std::to_string(fromRate) +
                                    " -> " + std::to_string(toRate) + ")");
    if (fromRate == toRate || n == 0)
        return std::vector<float>(samples, samples + n);
    if (double(toRate) / fromRate > 256.0 || double(fromRate) / toRate > 256.0) // libsamplerate's range too
        throw std::invalid_argument("resample: ratio " + std::to_string(fromRate) + " -> " + std::to_string(toRate) +
                                    " outside [1/256, 256]");
    const std::size_t outLength = std::size_t(
        (static_cast<unsigned long long>(n) * unsigned(toRate) + unsigned(fromRate) / 2) / unsigned(fromRate));
    std::vector<float> out(outLength);
    const std::shared_ptr<const Design> design = designFor(fromRate, toRate);
    const Design& d = *design;

    FftwBuffer<float> block(std::size_t(d.N));
    FftwBuffer<fftwf_complex> spectrum(std::size_t(std::max(d.N, d.Nout)) / 2 + 1);
    FftwBuffer<float> result(std::size_t(d.Nout));
    const long long total = static_cast<long long>(n);
    const int keptBins = int(d.H.size());
    const int outBins = d.Nout / 2 + 1;

    for (std::size_t j0 = 0; j0 < outLength; j0 += std::size_t(d.outputsPerBlock)) {
        // First output's input time j0*M/L = s + delta, with s an integer block start W+1 samples before it.
        const long long num = static_cast<long long>(j0) * d.M;
        const long long s = num / d.L - d.W - 1;
        const double delta = double(num - s * d.L) / double(d.L);
        const long long lo = std::max(0LL, -s), hi = std::min<long long>(d.N, total - s);
        float* x = block.data();
        std::fill(x, x + d.N, 0.0f);
        if (hi > lo)
            std::copy(samples + s + lo, samples + s + hi, x + lo);
        fftwf_execute_dft_r2c(d.forward, x, spectrum.data());
        // Filter and shift by delta (so the inverse grid starts at the first output), in double for the phase.
        fftwf_complex* X = spectrum.data();
        const std::complex<double> step = std::polar(1.0, 2.0 * std::numbers::pi * delta / d.N);
        std::complex<double> phase = 1.0;
        for (int k = 0; k < keptBins; ++k) {
            const std::complex<double> v = std::complex<double>(X[k][0], X[k][1]) * phase * double(d.H[std::size_t(k)]);
            X[k][0] = float(v.real());
            X[k][1] = float(v.imag());
            phase *= step;
            if ((k & 255) == 255) // keep the recurrence on the unit circle
                phase /= std::abs(phase);
        }
        for (int k = keptBins; k < outBins; ++k)
            X[k][0] = X[k][1] = 0.0f;
        fftwf_execute_dft_c2r(d.inverse, X, result.data());
        const std::size_t count = std::min<std::size_t>(std::size_t(d.outputsPerBlock), outLength - j0);
        std::copy(result.data(), result.data() + count, out.begin() + std::ptrdiff_t(j0));
    }
    return out;
}

std::size_t resamplerDesignCacheSize()
{
    std::lock_guard<std::mutex> lock(designRegistry().mutex);
    return designRegistry().designs.size();
}

} // namespace emoscope
