// SPDX-License-Identifier: GPL-3.0-or-later
// Degradation: seeds fix the output; every degradation does what its header claims, measured.
#include "audio/AudioDecoder.h"
#include "audio/Degradation.h"
#include "util/FftPlanCache.h"

#include "TestData.h"

#include <QDirIterator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>

using namespace emoscope;

namespace {

constexpr double kPi = 3.14159265358979323846;

double meanSquare(const std::vector<float>& x)
{
    double s = 0.0;
    for (float v : x)
        s += double(v) * double(v);
    return x.empty() ? 0.0 : s / double(x.size());
}

double db(double ratio) { return 10.0 * std::log10(ratio); }

// Welch power spectrum (Hann, 50 % overlap), nfft/2+1 bins, arbitrary units.
std::vector<double> welch(const std::vector<float>& x, int nfft)
{
    std::vector<double> psd(std::size_t(nfft) / 2 + 1, 0.0);
    FftwBuffer<float> in{std::size_t(nfft)};
    FftwBuffer<fftwf_complex> out{std::size_t(nfft) / 2 + 1};
    std::vector<float> win(static_cast<std::size_t>(nfft));
    for (int i = 0; i < nfft; ++i)
        win[std::size_t(i)] = float(0.5 - 0.5 * std::cos(2.0 * kPi * i / nfft));
    int segments = 0;
    for (std::size_t start = 0; start + std::size_t(nfft) <= x.size(); start += std::size_t(nfft) / 2) {
        for (int i = 0; i < nfft; ++i)
            in.data()[i] = x[start + std::size_t(i)] * win[std::size_t(i)];
        fftwf_execute_dft_r2c(FftPlanCache::r2c(nfft), in.data(), out.data());
        for (std::size_t k = 0; k < psd.size(); ++k)
            psd[k] += double(out.data()[k][0]) * out.data()[k][0] + double(out.data()[k][1]) * out.data()[k][1];
        ++segments;
    }
    for (double& p : psd)
        p /= std::max(1, segments);
    return psd;
}

// Sum of the Welch spectrum over [lo, hi) Hz.
double bandPower(const std::vector<double>& psd, int nfft, int rate, double lo, double hi)
{
    double s = 0.0;
    for (std::size_t k = 0; k < psd.size(); ++k) {
        const double f = double(k) * rate / nfft;
        if (f >= lo && f < hi)
            s += psd[k];
    }
    return s;
}

// SNR actually present in a mix: clean power over (mix - clean) power.
double measuredSnr(const std::vector<float>& clean, const std::vector<float>& mixed)
{
    double ps = 0.0, pn = 0.0;
    for (std::size_t i = 0; i < clean.size(); ++i) {
        const double d = double(mixed[i]) - double(clean[i]);
        ps += double(clean[i]) * clean[i];
        pn += d * d;
    }
    return db(ps / pn);
}

double correlation(const std::vector<float>& a, const std::vector<float>& b)
{
    double ab = 0.0, aa = 0.0, bb = 0.0;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
        ab += double(a[i]) * b[i];
        aa += double(a[i]) * a[i];
        bb += double(b[i]) * b[i];
    }
    return ab / std::sqrt(aa * bb);
}

// T60 from the Schroeder backward integral of h^2: a line fitted to the decay curve between -5 and -25 dB (T20),
// extrapolated to 60 dB.
double schroederT60(const std::vector<float>& h, int rate)
{
    std::vector<double> edc(h.size());
    double acc = 0.0;
    for (std::size_t i = h.size(); i-- > 0;) {
        acc += double(h[i]) * h[i];
        edc[i] = acc;
    }
    const double total = edc[0];
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int m = 0;
    for (std::size_t i = 0; i < h.size(); ++i) {
        const double level = db(edc[i] / total);
        if (level > -5.0 || level < -25.0)
            continue;
        const double t = double(i) / rate;
        sx += t;
        sy += level;
        sxx += t * t;
        sxy += t * level;
        ++m;
    }
    if (m < 2)
        return 0.0;
    const double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx); // dB per second, negative
    return -60.0 / slope;
}

// A speech-like test clip: a TESS recording at 16 kHz (always present in CI).
std::vector<float> tessClip(int index = 0, int rate = 16000)
{
    QDirIterator it(testdata::tessDir(), {QStringLiteral("*.flac"), QStringLiteral("*.wav")}, QDir::Files,
                    QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext())
        files << it.next();
    files.sort();
    if (files.size() <= index)
        qFatal("no TESS clips under %s", qPrintable(testdata::tessDir()));
    DecodeOptions o;
    o.targetSampleRate = rate;
    return loadAudio(files[index].toStdString(), o).samples;
}

std::vector<float> tone(double hz, int rate, std::size_t n, double amp = 0.5)
{
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i)
        x[i] = float(amp * std::sin(2.0 * kPi * hz * double(i) / rate));
    return x;
}

} // namespace

class TestDegradation : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void noiseIsUnitRmsAndSeeded()
    {
        for (std::size_t n : {std::size_t(1), std::size_t(2), std::size_t(1001), std::size_t(40000)}) {
            std::mt19937_64 a(7), b(7), c(8);
            const std::vector<float> w1 = whiteNoise(n, a), w2 = whiteNoise(n, b), w3 = whiteNoise(n, c);
            QCOMPARE(w1.size(), n);
            QVERIFY(w1 == w2);
            QVERIFY(n < 3 || w1 != w3); // one or two unit-RMS samples may well agree in sign
            QVERIFY(std::abs(meanSquare(w1) - 1.0) < 1e-5);
            const std::vector<float> p1 = pinkNoise(n, a), p2 = pinkNoise(n, b), p3 = pinkNoise(n, c);
            QCOMPARE(p1.size(), n);
            QVERIFY(p1 == p2);
            QVERIFY(n < 3 || p1 != p3);
            QVERIFY(std::abs(meanSquare(p1) - 1.0) < 1e-5);
        }
        // Gaussian white noise: about 68 % of samples within one sigma.
        std::mt19937_64 rng(1);
        const std::vector<float> w = whiteNoise(100000, rng);
        const auto inside = std::count_if(w.begin(), w.end(), [](float v) { return std::abs(v) < 1.0f; });
        QVERIFY(std::abs(double(inside) / double(w.size()) - 0.6827) < 0.01);
    }

    void babbleIsSeededAndUnitRms()
    {
        const std::vector<float> t1 = tessClip(10), t2 = tessClip(500), t3 = tessClip(1000);
        const std::vector<const std::vector<float>*> talkers{&t1, &t2, nullptr, &t3};
        std::mt19937_64 a(3), b(3), c(4);
        const std::size_t n = 3 * t1.size() + 17; // longer than every clip: tiled
        const std::vector<float> x = babbleNoise(talkers, n, a), y = babbleNoise(talkers, n, b),
                                 z = babbleNoise(talkers, n, c);
        QCOMPARE(x.size(), n);
        QVERIFY(x == y);
        QVERIFY(x != z);
        QVERIFY(std::abs(meanSquare(x) - 1.0) < 1e-5);
        std::mt19937_64 d(5);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, babbleNoise({nullptr}, 10, d));
    }

    void mixAtSnrIsExact_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("snr");
        QTest::addColumn<int>("noiseLength");
        const char* names[] = {"white", "pink", "babble"};
        for (int kind = 0; kind < 3; ++kind)
            for (double snr : {20.0, 10.0, 5.0, 0.0, -5.0})
                for (int len : {0, 7001}) // 0: as long as the signal; 7001: shorter, tiled
                    QTest::newRow(qPrintable(QString("%1 %2 dB len %3").arg(names[kind]).arg(snr).arg(len)))
                        << kind << snr << len;
    }

    void mixAtSnrIsExact()
    {
        QFETCH(int, kind);
        QFETCH(double, snr);
        QFETCH(int, noiseLength);
        const std::vector<float> clean = tessClip(3);
        const std::vector<float> t1 = tessClip(700), t2 = tessClip(1400);
        std::mt19937_64 rng(42);
        const std::size_t n = noiseLength ? std::size_t(noiseLength) : clean.size();
        std::vector<float> noise = kind == 0   ? whiteNoise(n, rng)
                                   : kind == 1 ? pinkNoise(n, rng)
                                               : babbleNoise({&t1, &t2}, n, rng);
        std::vector<float> mixed = clean;
        mixAtSnr(mixed, noise, snr);
        QCOMPARE(mixed.size(), clean.size());
        const double got = measuredSnr(clean, mixed);
        QVERIFY2(std::abs(got - snr) < 0.05, qPrintable(QString("measured %1 dB, asked %2 dB").arg(got).arg(snr)));
        // The added part really is the (tiled) noise, not something else at the right power.
        std::vector<float> added(clean.size());
        std::vector<float> tiled(clean.size());
        for (std::size_t i = 0; i < clean.size(); ++i) {
            added[i] = mixed[i] - clean[i];
            tiled[i] = noise[i % noise.size()];
        }
        QVERIFY(correlation(added, tiled) > 0.999);
        // Silent signal: unchanged; empty or silent noise: refused.
        std::vector<float> silent(100, 0.0f);
        mixAtSnr(silent, noise, snr);
        QVERIFY(std::all_of(silent.begin(), silent.end(), [](float v) { return v == 0.0f; }));
        std::vector<float> copy = clean;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mixAtSnr(copy, {}, snr));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mixAtSnr(copy, std::vector<float>(10, 0.0f), snr));
    }

    void pinkSlopeIsMinus3dBPerOctave()
    {
        constexpr int rate = 16000, nfft = 4096;
        std::mt19937_64 rng(11);
        const std::vector<float> pink = pinkNoise(std::size_t(rate) * 8, rng);
        const std::vector<float> white = whiteNoise(std::size_t(rate) * 8, rng);
        // Power per Hz in octave bands 62.5 Hz .. 4 kHz, then a least-squares line against the octave index.
        for (int which = 0; which < 2; ++which) {
            const std::vector<double> psd = welch(which ? white : pink, nfft);
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            int m = 0;
            for (double lo = 62.5; lo < 4000.0; lo *= 2.0, ++m) {
                const double level = db(bandPower(psd, nfft, rate, lo, 2 * lo) / lo);
                const double octave = std::log2(lo);
                sx += octave;
                sy += level;
                sxx += octave * octave;
                sxy += octave * level;
            }
            const double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
            const double expected = which ? 0.0 : -3.01;
            qInfo("%s noise: %.3f dB/octave", which ? "white" : "pink", slope);
            QVERIFY2(std::abs(slope - expected) < 0.3,
                     qPrintable(QString("%1 noise slope %2 dB/octave").arg(which ? "white" : "pink").arg(slope)));
        }
    }

    void telephoneBandKeepsOnly300To3400_data()
    {
        QTest::addColumn<int>("rate");
        for (int rate : {8000, 16000, 22050, 44100, 48000})
            QTest::newRow(qPrintable(QString::number(rate))) << rate;
    }

    void telephoneBandKeepsOnly300To3400()
    {
        QFETCH(int, rate);
        constexpr int nfft = 8192;
        std::mt19937_64 rng(5);
        const std::vector<float> x = whiteNoise(std::size_t(rate) * 4, rng);
        const std::vector<float> y = telephoneBand(x, rate);
        QCOMPARE(y.size(), x.size());
        const std::vector<double> px = welch(x, nfft), py = welch(y, nfft);
        const double low = db(bandPower(py, nfft, rate, 0, 200) / bandPower(px, nfft, rate, 0, 200));
        QVERIFY2(low < -40.0, qPrintable(QString("below 200 Hz: %1 dB").arg(low)));
        if (rate > 8000) {
            const double high = db(bandPower(py, nfft, rate, 4000, rate / 2.0) /
                                   bandPower(px, nfft, rate, 4000, rate / 2.0));
            QVERIFY2(high < -40.0, qPrintable(QString("above 4 kHz: %1 dB").arg(high)));
        }
        qInfo("%d Hz: below 200 Hz %.1f dB", rate, low);
        const double pass = db(bandPower(py, nfft, rate, 400, 3300) / bandPower(px, nfft, rate, 400, 3300));
        QVERIFY2(std::abs(pass) < 0.5, qPrintable(QString("400-3300 Hz: %1 dB").arg(pass)));
        // A 1 kHz tone passes within 1 dB, in place (no delay: sample-wise close to the input).
        const std::vector<float> t = tone(1000.0, rate, std::size_t(rate));
        const std::vector<float> u = telephoneBand(t, rate);
        const std::vector<float> tMid(t.begin() + rate / 4, t.end() - rate / 4), uMid(u.begin() + rate / 4, u.end() - rate / 4);
        const double gain = db(meanSquare(uMid) / meanSquare(tMid));
        if (rate > 8000)
            qInfo("%d Hz: above 4 kHz %.1f dB, 1 kHz tone %.3f dB",rate, db(bandPower(py, nfft, rate, 4000, rate / 2.0) / bandPower(px, nfft, rate, 4000, rate / 2.0)), gain);
        QVERIFY2(std::abs(gain) < 1.0, qPrintable(QString("1 kHz gain %1 dB").arg(gain)));
        QVERIFY(correlation(tMid, uMid) > 0.999);
    }

    void bandLimitGeneral()
    {
        constexpr int rate = 16000, nfft = 8192;
        std::mt19937_64 rng(6);
        const std::vector<float> x = whiteNoise(std::size_t(rate) * 4, rng);
        const std::vector<float> y = bandLimit(x, rate, 1000.0, 2000.0);
        const std::vector<double> px = welch(x, nfft), py = welch(y, nfft);
        QVERIFY(db(bandPower(py, nfft, rate, 0, 600) / bandPower(px, nfft, rate, 0, 600)) < -40.0);
        QVERIFY(db(bandPower(py, nfft, rate, 2400, 8000) / bandPower(px, nfft, rate, 2400, 8000)) < -40.0);
        QVERIFY(std::abs(db(bandPower(py, nfft, rate, 1100, 1900) / bandPower(px, nfft, rate, 1100, 1900))) < 0.5);
        // Neither edge: unchanged. Bad arguments: refused.
        QVERIFY(bandLimit(x, rate, 0.0, 8000.0) == x);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bandLimit(x, rate, 2000.0, 1000.0));
    }

    void reverbDecaysAtRt60_data()
    {
        QTest::addColumn<double>("rt60");
        QTest::addColumn<double>("drr");
        for (double rt : {0.3, 0.6, 1.0})
            for (double drr : {-5.0, 0.0, 5.0})
                QTest::newRow(qPrintable(QString("rt60 %1 drr %2").arg(rt).arg(drr))) << rt << drr;
    }

    void reverbDecaysAtRt60()
    {
        QFETCH(double, rt60);
        QFETCH(double, drr);
        constexpr int rate = 16000;
        std::mt19937_64 a(9), b(9), c(10);
        const std::vector<float> h = roomImpulse(rate, rt60, drr, a);
        QVERIFY(h == roomImpulse(rate, rt60, drr, b));
        QVERIFY(h != roomImpulse(rate, rt60, drr, c));
        QCOMPARE(h[0], 1.0f);
        // Direct-to-reverberant energy as asked.
        double tail = 0.0;
        for (std::size_t i = 1; i < h.size(); ++i)
            tail += double(h[i]) * h[i];
        QVERIFY(std::abs(db(1.0 / tail) - drr) < 0.01);

        // A click (with silence after it) through convolve: the decay measured on the output, not on h.
        std::vector<float> click(std::size_t(2.0 * rt60 * rate), 0.0f);
        click[100] = 0.9f;
        const std::vector<float> wet = convolve(click, h);
        QCOMPARE(wet.size(), click.size());
        const double dryT60 = schroederT60(click, rate);
        const double wetT60 = schroederT60(std::vector<float>(wet.begin() + 100, wet.end()), rate);
        qInfo("rt60 %.2f s, drr %.0f dB: measured T60 %.3f s", rt60, drr, wetT60);
        QVERIFY2(std::abs(wetT60 - rt60) < 0.3 * rt60,
                 qPrintable(QString("T60 measured %1 s, asked %2 s").arg(wetT60).arg(rt60)));
        QVERIFY(dryT60 < 0.01);
        // Level kept: RMS of the output equals the input's.
        QVERIFY(std::abs(db(meanSquare(wet) / meanSquare(click))) < 0.01);
        // Causal, no delay: nothing before the click, the click's own sample dominant.
        for (int i = 0; i < 100; ++i)
            QVERIFY(std::abs(wet[std::size_t(i)]) < 1e-4f);
    }

    void convolveMatchesDirectSum()
    {
        std::mt19937_64 rng(12);
        const std::vector<float> x = whiteNoise(3000, rng), h = whiteNoise(257, rng);
        const std::vector<float> y = convolve(x, h);
        std::vector<double> direct(x.size(), 0.0);
        for (std::size_t i = 0; i < x.size(); ++i)
            for (std::size_t j = 0; j < h.size() && j <= i; ++j)
                direct[i] += double(x[i - j]) * h[j];
        double ms = 0.0;
        for (double v : direct)
            ms += v * v;
        const double g = std::sqrt(meanSquare(x) / (ms / double(x.size())));
        double err = 0.0;
        for (std::size_t i = 0; i < x.size(); ++i)
            err = std::max(err, std::abs(double(y[i]) - g * direct[i]));
        QVERIFY2(err < 1e-4, qPrintable(QString("max error %1").arg(err)));
    }

    void microphoneColouringIsGentleAndSeeded()
    {
        constexpr int rate = 16000, nfft = 4096;
        const std::vector<float> x = tessClip(20);
        bool anyDifferent = false;
        for (std::uint64_t seed = 0; seed < 20; ++seed) {
            std::mt19937_64 a(seed), b(seed);
            const std::vector<float> y = microphoneColouring(x, rate, a);
            QVERIFY(y == microphoneColouring(x, rate, b));
            QCOMPARE(y.size(), x.size());
            QVERIFY(std::abs(db(meanSquare(y) / meanSquare(x))) < 0.01);
            // Gentle: on white noise, no 1/3-octave band between 300 Hz and 6 kHz moves more than 15 dB.
            std::mt19937_64 n(100);
            const std::vector<float> w = whiteNoise(std::size_t(rate) * 2, n);
            std::mt19937_64 c(seed);
            const std::vector<float> wy = microphoneColouring(w, rate, c);
            const std::vector<double> pw = welch(w, nfft), py = welch(wy, nfft);
            for (double lo = 300.0; lo < 6000.0; lo *= std::pow(2.0, 1.0 / 3.0)) {
                const double hi = lo * std::pow(2.0, 1.0 / 3.0);
                const double d = db(bandPower(py, nfft, rate, lo, hi) / bandPower(pw, nfft, rate, lo, hi));
                QVERIFY2(std::abs(d) < 15.0, qPrintable(QString("seed %1 band %2 Hz: %3 dB").arg(seed).arg(lo).arg(d)));
            }
            // The high-pass (corner >= 50 Hz): 10-20 Hz at least 10 dB down.
            QVERIFY(db(bandPower(py, nfft, rate, 10, 20) / bandPower(pw, nfft, rate, 10, 20)) < -10.0);
            std::mt19937_64 other(seed + 1000);
            anyDifferent = anyDifferent || microphoneColouring(x, rate, other) != y;
        }
        QVERIFY(anyDifferent);
    }

    void lossyCodecStaysAligned_data()
    {
        QTest::addColumn<int>("codec");
        QTest::addColumn<int>("rate");
        QTest::addColumn<double>("quality");
        for (LossyCodec c : {LossyCodec::Opus, LossyCodec::Vorbis, LossyCodec::Mp3})
            for (int rate : {16000, 22050})
                for (double q : {0.05, 0.3})
                    QTest::newRow(qPrintable(QString("%1 %2 Hz q %3").arg(toString(c)).arg(rate).arg(q)))
                        << int(c) << rate << q;
    }

    void lossyCodecStaysAligned()
    {
        QFETCH(int, codec);
        QFETCH(int, rate);
        QFETCH(double, quality);
        const std::vector<float> x = tessClip(30, rate);
        const std::vector<float> y = lossyCodec(x, rate, LossyCodec(codec), quality);
        QCOMPARE(y.size(), x.size());
        const double r = correlation(x, y);
        qInfo("%s at %d Hz, quality %.2f: correlation %.4f", toString(LossyCodec(codec)), rate, quality, r);
        QVERIFY2(r > 0.9, qPrintable(QString("correlation %1").arg(r)));
        QVERIFY(y != x); // it really went through a lossy codec
        // Aligned: shifting by one sample either way correlates worse.
        std::vector<float> earlier(y.begin() + 1, y.end()), later(1, 0.0f);
        later.insert(later.end(), y.begin(), y.end() - 1);
        QVERIFY(correlation(x, earlier) < r);
        QVERIFY(correlation(x, later) < r);
        // Deterministic (the codecs are, for the same input and settings).
        QVERIFY(lossyCodec(x, rate, LossyCodec(codec), quality) == y);
    }

    void lossyCodecErrorsAreClear()
    {
        // libvorbis refuses a 400 kHz stream (Debian 12's libsndfile 1.2.0): the error names codec and rate.
        const std::vector<float> x(20000, 0.1f);
        try {
            lossyCodec(x, 400000, LossyCodec::Vorbis, 0.0);
            QFAIL("Vorbis at 400 kHz did not throw");
        } catch (const std::runtime_error& e) {
            const std::string what = e.what();
            QVERIFY2(what.find("Vorbis") != std::string::npos && what.find("400000 Hz") != std::string::npos, e.what());
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, lossyCodec(x, 0, LossyCodec::Opus, 0.0));
    }

    void threadsGiveTheSameResults()
    {
        // Concurrent calls (as in a training data loader) give exactly the serial results.
        const std::vector<float> x = tessClip(50);
        const std::vector<float> t1 = tessClip(60), t2 = tessClip(70);
        const std::vector<const std::vector<float>*> pool{&t1, &t2};
        const std::vector<DegradationCondition>& all = standardConditions();
        std::vector<std::vector<float>> serial;
        for (const DegradationCondition& c : all)
            serial.push_back(applyCondition(c, x, 16000, 77, pool));
        std::vector<std::vector<float>> parallel(all.size() * 2);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (std::size_t i = std::size_t(t); i < parallel.size(); i += 4)
                    parallel[i] = applyCondition(all[i % all.size()], x, 16000, 77, pool);
            });
        for (std::thread& t : threads)
            t.join();
        for (std::size_t i = 0; i < parallel.size(); ++i)
            QVERIFY2(parallel[i] == serial[i % all.size()], all[i % all.size()].name.c_str());
    }

    void standardConditionsApply()
    {
        const std::vector<float> x = tessClip(40);
        const std::vector<float> t1 = tessClip(900), t2 = tessClip(1600), t3 = tessClip(2200);
        const std::vector<const std::vector<float>*> pool{&t1, &t2, &t3};
        QStringList names;
        for (const DegradationCondition& c : standardConditions())
            names << QString::fromStdString(c.name);
        for (const char* required : {"clean", "white_20db", "white_10db", "white_5db", "pink_20db", "pink_10db",
                                     "pink_5db", "babble_20db", "babble_10db", "babble_5db", "reverb", "telephone",
                                     "codec_opus", "codec_mp3", "microphone"})
            QVERIFY2(names.contains(QString::fromLatin1(required)), required);
        QCOMPARE(names.removeDuplicates(), 0);

        for (const DegradationCondition& c : standardConditions()) {
            const std::vector<float> a = applyCondition(c, x, 16000, 1234, pool);
            const std::vector<float> b = applyCondition(c, x, 16000, 1234, pool);
            const std::vector<float> d = applyCondition(c, x, 16000, 4321, pool);
            QVERIFY2(a == b, c.name.c_str());
            QCOMPARE(a.size(), x.size());
            const bool random = c.noise != NoiseKind::None || c.rt60Seconds > 0.0 || c.microphone;
            QVERIFY2(random == (a != d), c.name.c_str());
            QVERIFY2(c.name == "clean" ? a == x : a != x, c.name.c_str());
            float peak = 0.0f;
            for (float v : a)
                peak = std::max(peak, std::abs(v));
            QVERIFY2(peak <= 1.0f, c.name.c_str());
            if (c.noise != NoiseKind::None && peak < 1.0f) { // (a peak-limited mix also scaled the speech)
                const double snr = measuredSnr(x, a);
                QVERIFY2(std::abs(snr - c.snrDb) < 0.05, qPrintable(QString("%1: %2 dB").arg(c.name.c_str()).arg(snr)));
            }
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, applyCondition(standardCondition("babble_5db"), x, 16000, 1, {}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, standardCondition("no such condition"));
    }
};

QTEST_GUILESS_MAIN(TestDegradation)
#include "test_degradation.moc"
