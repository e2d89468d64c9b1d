// SPDX-License-Identifier: GPL-3.0-or-later
// The per-rate caches (resampler designs, FFT plans) stay bounded over many odd rates, and results stay correct
// after their entries have been evicted and made again.
#include "audio/FftResampler.h"
#include "audio/Resampler.h"
#include "dsp/FeatureConfig.h"
#include "dsp/LogMelExtractor.h"
#include "util/FftPlanCache.h"

#include <QtTest>

#include <cmath>
#include <numbers>

using namespace emoscope;

namespace {

std::vector<float> sine(int rate, double hz, std::size_t n)
{
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = float(0.5 * std::sin(2.0 * std::numbers::pi * hz * double(i) / rate));
    return x;
}

// Largest error against the ideal sine on the output grid, away from the edges (where the signal starts abruptly).
double worstError(const std::vector<float>& y, int rate, double hz)
{
    double worst = 0;
    for (std::size_t i = y.size() / 4; i < 3 * y.size() / 4; ++i)
        worst = std::max(worst, std::abs(double(y[i]) - 0.5 * std::sin(2.0 * std::numbers::pi * hz * double(i) / rate)));
    return worst;
}

} // namespace

class TestResampleCache : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fiftyRatesStayBoundedAndCorrect()
    {
        const int to = 16000;
        std::vector<float> firstResult;
        const int firstRate = 8000 + 37;
        for (int k = 0; k < 50; ++k) {
            const int from = 8000 + 37 + 997 * k; // odd rates: every one its own design and FFT sizes
            const std::vector<float> x = sine(from, 440.0, std::size_t(from) / 4);
            const std::vector<float> y = resample(x.data(), x.size(), from, to);
            QVERIFY2(worstError(y, to, 440.0) < 1e-3, qPrintable(QString("rate %1").arg(from)));
            if (k == 0) firstResult = y;
            QVERIFY2(resamplerDesignCacheSize() <= kResamplerDesignCapacity,
                     qPrintable(QString::number(resamplerDesignCacheSize())));
            QVERIFY2(FftPlanCache::size() <= 2 * FftPlanCache::kCapacity, qPrintable(QString::number(FftPlanCache::size())));
        }
        QCOMPARE(resamplerDesignCacheSize(), kResamplerDesignCapacity); // it did fill up, so eviction happened
        // The first rate's design was evicted long ago: made again, it gives the identical result.
        const std::vector<float> x = sine(firstRate, 440.0, std::size_t(firstRate) / 4);
        QVERIFY(resample(x.data(), x.size(), firstRate, to) == firstResult);
    }

    void extractorKeepsItsPlanAfterEviction()
    {
        // An extractor made first, then many other FFT sizes planned: its own plan must stay valid.
        FeatureConfig c;
        c.sampleRate = 16000;
        c.nFft = 1000; // an odd size nothing else uses
        c.winLength = 1000;
        c.hopLength = 250;
        c.nMels = 40;
        const LogMelExtractor extractor(c);
        const std::vector<float> x = sine(16000, 1000.0, 16000);
        const MelMatrix before = extractor.logMel(x.data(), x.size());
        for (int n = 2000; n < 2000 + 3 * int(FftPlanCache::kCapacity); ++n) {
            FftwBuffer<float> a{std::size_t(n)};
            FftwBuffer<fftwf_complex> b{std::size_t(n) / 2 + 1};
            std::fill(a.data(), a.data() + n, 0.0f);
            fftwf_execute_dft_r2c(FftPlanCache::r2c(n), a.data(), b.data());
        }
        QVERIFY(FftPlanCache::size() <= 2 * FftPlanCache::kCapacity);
        const MelMatrix after = extractor.logMel(x.data(), x.size());
        QVERIFY(before.data == after.data);
    }
};

QTEST_GUILESS_MAIN(TestResampleCache)
#include "test_resample_cache.moc"
