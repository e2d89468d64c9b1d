// SPDX-License-Identifier: GPL-3.0-or-later
// Calibration: temperature scaling fitted on held-out clips undoes a known over- or under-confidence, lowers the
// negative log-likelihood and the expected calibration error, and the "uncertain" threshold keeps verdicts that are
// right at least as often as asked.
#include "train/Calibration.h"
#include <QtTest>
#include <cmath>
#include <random>

using namespace emoscope;

namespace {

// A calibrated 7-class "model": logits drawn so that softmax(logits) is the true posterior of the label drawn
// from it. Scaling the logits by `overconfidence` makes it over- (>1) or under-confident (<1) by that factor.
void synthetic(int n, double overconfidence, std::vector<std::vector<float>>& logits, std::vector<int>& truth,
               unsigned seed = 3)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> g(0.0, 1.5);
    logits.clear();
    truth.clear();
    for (int i = 0; i < n; ++i) {
        std::vector<float> l(7);
        for (auto& v : l) v = float(g(rng));
        const auto p = softmaxWithTemperature(l, 1.0);
        std::discrete_distribution<int> draw(p.begin(), p.end());
        truth.push_back(draw(rng));
        for (auto& v : l) v = float(v * overconfidence);
        logits.push_back(l);
    }
}

} // namespace

class TestCalibration : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void softmaxIsStableAndScaled()
    {
        const auto p = softmaxWithTemperature({1000.f, 999.f, 0.f}, 1.0);
        QVERIFY(std::isfinite(p[0]) && std::isfinite(p[1]));
        QVERIFY(std::abs(p[0] + p[1] + p[2] - 1.0f) < 1e-6f);
        QVERIFY(std::abs(p[0] / p[1] - std::exp(1.0f)) < 1e-3f);
        const auto hot = softmaxWithTemperature({2.f, 0.f}, 2.0); // T = 2 halves the logit gap
        QVERIFY(std::abs(hot[0] / hot[1] - std::exp(1.0f)) < 1e-4f);
    }

    void overconfidentModelIsCooled()
    {
        std::vector<std::vector<float>> logits;
        std::vector<int> truth;
        synthetic(20000, 4.0, logits, truth);
        const CalibrationFit f = fitCalibration(logits, truth);
        QVERIFY2(std::abs(f.temperature - 4.0) < 0.4, qPrintable(QString::number(f.temperature)));
        QVERIFY(f.nllAfter < f.nllBefore - 0.1);
        QVERIFY(f.eceAfter < 0.02);
        QVERIFY(f.eceBefore > 0.1);
        QCOMPARE(f.clips, 20000);
    }

    void underconfidentModelIsSharpened()
    {
        std::vector<std::vector<float>> logits;
        std::vector<int> truth;
        synthetic(20000, 0.4, logits, truth, 5);
        const CalibrationFit f = fitCalibration(logits, truth);
        QVERIFY2(std::abs(f.temperature - 0.4) < 0.05, qPrintable(QString::number(f.temperature)));
        QVERIFY(f.nllAfter < f.nllBefore);
    }

    void calibratedModelKeepsTemperatureOne()
    {
        std::vector<std::vector<float>> logits;
        std::vector<int> truth;
        synthetic(20000, 1.0, logits, truth, 7);
        const CalibrationFit f = fitCalibration(logits, truth);
        QVERIFY(std::abs(f.temperature - 1.0) < 0.1);
        QVERIFY(f.eceBefore < 0.02);
    }

    void thresholdKeepsAccurateVerdicts()
    {
        std::vector<std::vector<float>> logits;
        std::vector<int> truth;
        synthetic(20000, 3.0, logits, truth, 9);
        const CalibrationFit f = fitCalibration(logits, truth, 0.7);
        QVERIFY(f.uncertainThreshold >= 0.3 && f.uncertainThreshold < 0.8);
        QVERIFY(f.acceptedAccuracy >= 0.7);
        QVERIFY(f.coverage > 0.2 && f.coverage < 1.0);
        // One step lower would have kept verdicts right less than 70% of the time (the threshold is the lowest).
        int kept = 0, right = 0;
        for (std::size_t i = 0; i < logits.size(); ++i) {
            const auto p = softmaxWithTemperature(logits[i], f.temperature);
            const auto top = std::max_element(p.begin(), p.end());
            if (*top < f.uncertainThreshold - 0.01) continue;
            ++kept;
            right += (top - p.begin()) == truth[i];
        }
        QVERIFY(double(right) / kept < 0.7);
    }

    void eceOfKnownBins()
    {
        // Two clips at confidence 0.9, one right and one wrong: |0.5 - 0.9| = 0.4.
        const std::vector<std::vector<float>> p{{0.9f, 0.1f}, {0.9f, 0.1f}};
        QVERIFY(std::abs(expectedCalibrationError(p, {0, 1}) - 0.4) < 1e-6);
        QVERIFY(std::abs(expectedCalibrationError(p, {0, 0}) - 0.1) < 1e-6);
    }
};

QTEST_APPLESS_MAIN(TestCalibration)
#include "test_calibration.moc"
