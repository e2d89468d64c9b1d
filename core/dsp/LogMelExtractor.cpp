// SPDX-License-Identifier: GPL-3.0-or-later
#include "dsp/LogMelExtractor.h"

#include "util/FftPlanCache.h"
#include "dsp/MelFilterbank.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace emoscope {

struct LogMelExtractor::Impl {
    FeatureConfig config;
    MelFilterbank filterbank;
    std::vector<float> window; // nFft long: periodic Hann of winLength, centred, zero elsewhere
    FftPlanRef plan; // shared: stays valid while the cache evicts it

    explicit Impl(const FeatureConfig& c) : config(c), filterbank(c), window(std::size_t(c.nFft), 0.0f),
                                            plan(FftPlanCache::r2c(c.nFft))
    {
        // scipy.signal.get_window('hann', winLength, fftbins=True), padded to nFft like librosa.util.pad_center.
        const int offset = (c.nFft - c.winLength) / 2;
        for (int i = 0; i < c.winLength; ++i)
            window[std::size_t(offset + i)] =
                static_cast<float>(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / c.winLength));
    }

    // Per-call scratch: the plan is shared, the arrays never are.
    struct Scratch {
        FftwBuffer<float> in;
        FftwBuffer<fftwf_complex> out;
        std::vector<float> spectrum;
        explicit Scratch(const FeatureConfig& c)
            : in(std::size_t(c.nFft)), out(std::size_t(c.nBins())), spectrum(std::size_t(c.nBins()))
        {
        }
    };

    // The one place a frame becomes a mel column; offline and streaming both come through here.
    // frame: nFft raw samples. melOut: nMels values.
    void frameToMel(const float* frame, float* melOut, Scratch& s) const
    {
        const int nFft = config.nFft;
        float* in = s.in.data();
        for (int i = 0; i < nFft; ++i)
            in[i] = frame[i] * window[std::size_t(i)];
        fftwf_execute_dft_r2c(plan, in, s.out.data());
        const fftwf_complex* X = s.out.data();
        const int nBins = config.nBins();
        if (config.power == 2.0) {
            for (int k = 0; k < nBins; ++k)
                s.spectrum[std::size_t(k)] = X[k][0] * X[k][0] + X[k][1] * X[k][1];
        } else if (config.power == 1.0) {
            for (int k = 0; k < nBins; ++k)
                s.spectrum[std::size_t(k)] = std::sqrt(X[k][0] * X[k][0] + X[k][1] * X[k][1]);
        } else {
            for (int k = 0; k < nBins; ++k)
                s.spectrum[std::size_t(k)] = static_cast<float>(
                    std::pow(std::sqrt(double(X[k][0]) * X[k][0] + double(X[k][1]) * X[k][1]), config.power));
        }
        filterbank.apply(s.spectrum.data(), melOut);
    }
};

LogMelExtractor::LogMelExtractor(const FeatureConfig& config)
{
    config.validate();
    impl_ = std::make_unique<Impl>(config);
}

LogMelExtractor::~LogMelExtractor() = default;
LogMelExtractor::LogMelExtractor(LogMelExtractor&&) noexcept = default;
LogMelExtractor& LogMelExtractor::operator=(LogMelExtractor&&) noexcept = default;

const FeatureConfig& LogMelExtractor::config() const { return impl_->config; }

MelMatrix LogMelExtractor::melPower(const float* samples, std::size_t n) const
{
    const FeatureConfig& c = impl_->config;
    const long long nFrames = c.framesFor(static_cast<long long>(n));
    MelMatrix out(c.nMels, static_cast<int>(nFrames));
    if (nFrames == 0)
        return out;
    Impl::Scratch scratch(c);
    std::vector<float> frame(std::size_t(c.nFft));
    std::vector<float> column(std::size_t(c.nMels));
    const long long pad = c.center ? c.nFft / 2 : 0;
    const long long total = static_cast<long long>(n);
    for (long long t = 0; t < nFrames; ++t) {
        // Frame t covers padded[t*hop, t*hop + nFft); padding is zeros (librosa >= 0.10 pad_mode='constant').
        const long long start = t * c.hopLength - pad;
        const long long lo = std::max(0LL, -start);
        const long long hi = std::min<long long>(c.nFft, total - start);
        std::fill(frame.begin(), frame.end(), 0.0f);
        if (hi > lo)
            std::copy(samples + start + lo, samples + start + hi, frame.begin() + lo);
        impl_->frameToMel(frame.data(), column.data(), scratch);
        for (int m = 0; m < c.nMels; ++m)
            out.data[std::size_t(m) * std::size_t(nFrames) + std::size_t(t)] = column[std::size_t(m)];
    }
    return out;
}

MelMatrix LogMelExtractor::logMel(const float* samples, std::size_t n) const
{
    MelMatrix m = melPower(samples, n);
    powerToDb(m, impl_->config.amin, impl_->config.topDb, 0.0);
    return m;
}

void LogMelExtractor::powerToDb(MelMatrix& m, double amin, double topDb, double ref)
{
    if (m.data.empty())
        return;
    // librosa.power_to_db: 10*log10(max(amin, S)) - 10*log10(max(amin, ref)), then floor at max - top_db.
    const double refValue = ref > 0 ? ref : double(*std::max_element(m.data.begin(), m.data.end()));
    const double offset = 10.0 * std::log10(std::max(amin, refValue));
    double peak = -std::numeric_limits<double>::infinity();
    for (float& v : m.data) {
        const double db = 10.0 * std::log10(std::max(amin, double(v))) - offset;
        v = static_cast<float>(db);
        peak = std::max(peak, db);
    }
    if (topDb > 0) {
        const float floorDb = static_cast<float>(peak - topDb);
        for (float& v : m.data)
            v = std::max(v, floorDb);
    }
}

void LogMelExtractor::powerToDisplayDb(MelMatrix& m, double amin, double topDb)
{
    if (std::all_of(m.data.begin(), m.data.end(), [](float v) { return v == 0.0f; }))
        std::fill(m.data.begin(), m.data.end(), static_cast<float>(topDb > 0 ? -topDb : -80.0));
    else
        powerToDb(m, amin, topDb, 0.0);
}

MelMatrix LogMelExtractor::displayLogMel(const float* samples, std::size_t n) const
{
    MelMatrix m = melPower(samples, n);
    powerToDisplayDb(m, impl_->config.amin, impl_->config.topDb);
    return m;
}

void LogMelExtractor::frameToMel(const float* frame, float* melOut) const
{
    // Scratch per thread, so streaming callers do not allocate per frame; sized for this extractor's nFft.
    thread_local std::unique_ptr<Impl::Scratch> scratch;
    thread_local int scratchFft = 0;
    if (!scratch || scratchFft != impl_->config.nFft) {
        scratch = std::make_unique<Impl::Scratch>(impl_->config);
        scratchFft = impl_->config.nFft;
    }
    impl_->frameToMel(frame, melOut, *scratch);
}

} // namespace emoscope
