// SPDX-License-Identifier: GPL-3.0-or-later
// Calibration: temperature scaling fitted on held-out clips undoes a known over- or under-confidence, lowers the
// negative log-likelihood and the expected calibration error, and the "uncertain" threshold keeps verdicts that are
// right at least as often as asked; the per-label bias undoes a known skew of the prior. recalibrateModel refits the
// bundled model's temperature on real clips of two corpora and writes a model whose probabilities are the old ones
// re-tempered, nothing else changed.
#include "TestData.h"
#include "infer/Classifier.h"
#include "model/ModelCard.h"
#include "model/ModelFile.h"
#include "train/Calibration.h"
#include "train/Recalibrator.h"
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

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

    // Two corpora in one validation set: a large over-confident one (T = 4) and a small calibrated one (T = 1).
    // Unweighted, the fit is the large corpus's; with equal corpus weights it lies between the two, and a weight of
    // w on a clip counts exactly as w copies of it.
    void corpusWeightsBalanceTheFit()
    {
        std::vector<std::vector<float>> logits, small;
        std::vector<int> truth, smallTruth;
        synthetic(9000, 4.0, logits, truth, 11);
        synthetic(1000, 1.0, small, smallTruth, 13);
        std::vector<std::string> corpus(logits.size(), "large");
        logits.insert(logits.end(), small.begin(), small.end());
        truth.insert(truth.end(), smallTruth.begin(), smallTruth.end());
        corpus.resize(logits.size(), "small");

        const std::vector<double> w = equalGroupWeights(corpus);
        QCOMPARE(w.size(), logits.size());
        QVERIFY(std::abs(w.front() * 9000 - w.back() * 1000) < 1e-6); // the same total per corpus
        QVERIFY(std::abs(std::accumulate(w.begin(), w.end(), 0.0) - double(w.size())) < 1e-6); // mean 1

        const CalibrationFit plain = fitCalibration(logits, truth);
        const CalibrationFit balanced = fitCalibration(logits, truth, 0.7, w);
        QVERIFY2(plain.temperature > 3.0, qPrintable(QString::number(plain.temperature)));
        QVERIFY2(balanced.temperature < plain.temperature - 0.5 && balanced.temperature > 1.2,
                 qPrintable(QString::number(balanced.temperature)));
        // The small corpus is better calibrated by the balanced fit than by the plain one.
        std::vector<std::vector<float>> byPlain, byBalanced;
        for (const auto& l : small) {
            byPlain.push_back(softmaxWithTemperature(l, plain.temperature));
            byBalanced.push_back(softmaxWithTemperature(l, balanced.temperature));
        }
        QVERIFY(expectedCalibrationError(byBalanced, smallTruth) < expectedCalibrationError(byPlain, smallTruth));

        // Weight 9 on each small-corpus clip == the same clips repeated 9 times.
        std::vector<std::vector<float>> repeated(logits.begin(), logits.begin() + 9000);
        std::vector<int> repeatedTruth(truth.begin(), truth.begin() + 9000);
        for (int k = 0; k < 9; ++k) {
            repeated.insert(repeated.end(), small.begin(), small.end());
            repeatedTruth.insert(repeatedTruth.end(), smallTruth.begin(), smallTruth.end());
        }
        const CalibrationFit copies = fitCalibration(repeated, repeatedTruth);
        QVERIFY(std::abs(copies.temperature - balanced.temperature) < 1e-6 * balanced.temperature);
        QVERIFY(std::abs(copies.uncertainThreshold - balanced.uncertainThreshold) < 1e-9);
        QVERIFY(std::abs(copies.coverage - balanced.coverage) < 1e-9);
        // The weighted ECE and NLL at one temperature equal the plain ones of the repeated clips (the fits' own
        // temperatures differ in the last digits, which can move a clip across a bin edge).
        std::vector<std::vector<float>> pw, pr;
        for (const auto& l : logits) pw.push_back(softmaxWithTemperature(l, 1.7));
        for (const auto& l : repeated) pr.push_back(softmaxWithTemperature(l, 1.7));
        QVERIFY(std::abs(expectedCalibrationError(pw, truth, 15, w) - expectedCalibrationError(pr, repeatedTruth)) < 1e-9);
        QVERIFY(std::abs(negativeLogLikelihood(logits, truth, 1.7, w) - negativeLogLikelihood(repeated, repeatedTruth, 1.7)) <
                1e-9);

        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fitCalibration(logits, truth, 0.7, {1.0, 2.0}));
        std::vector<double> negative = w;
        negative[0] = -1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fitCalibration(logits, truth, 0.7, negative));
    }

    // Two corpora miscalibrated in opposite directions: the NLL fit averages them; the worst-group temperature makes
    // the worse of the two ECEs smaller than any of a spread of temperatures does (2% grid tolerance), and
    // fitCalibration uses it when given the groups.
    void worstGroupTemperatureLowersTheWorstCorpus()
    {
        std::vector<std::vector<float>> logits, under;
        std::vector<int> truth, underTruth;
        synthetic(3000, 3.0, logits, truth, 21);     // over-confident
        synthetic(3000, 0.6, under, underTruth, 22); // under-confident
        std::vector<std::string> corpus(logits.size(), "over");
        logits.insert(logits.end(), under.begin(), under.end());
        truth.insert(truth.end(), underTruth.begin(), underTruth.end());
        corpus.resize(logits.size(), "under");
        const auto worstAt = [&](double T) {
            double worst = 0;
            for (const char* g : {"over", "under"}) {
                std::vector<std::vector<float>> p;
                std::vector<int> t;
                for (std::size_t i = 0; i < logits.size(); ++i)
                    if (corpus[i] == g) {
                        p.push_back(softmaxWithTemperature(logits[i], T));
                        t.push_back(truth[i]);
                    }
                worst = std::max(worst, expectedCalibrationError(p, t));
            }
            return worst;
        };
        const double T = worstGroupEceTemperature(logits, truth, corpus);
        const CalibrationFit nll = fitCalibration(logits, truth, 0.7, equalGroupWeights(corpus));
        qInfo("worst-group T %.3f (worst ECE %.4f), NLL T %.3f (worst ECE %.4f)", T, worstAt(T), nll.temperature,
              worstAt(nll.temperature));
        QVERIFY(worstAt(T) < worstAt(nll.temperature));
        for (double other = 0.25; other <= 8.0; other *= 1.1)
            QVERIFY2(worstAt(T) <= worstAt(other) + 0.005, qPrintable(QString::number(other)));
        const CalibrationFit fit = fitCalibration(logits, truth, 0.7, equalGroupWeights(corpus), false, corpus);
        QCOMPARE(fit.temperature, T);
        QVERIFY(fit.uncertainThreshold >= 0.3 && fit.uncertainThreshold <= 0.8);
        QVERIFY(fit.classBias.empty());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fitCalibration(logits, truth, 0.7, {}, true, corpus));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, worstGroupEceTemperature(logits, truth, {"over"}));
    }

    void classBiasShiftsTheLogits()
    {
        const std::vector<float> l{1.f, 0.f, -1.f};
        const auto biased = calibratedSoftmax(l, 2.0, {0.0, 1.5, 0.0});
        const auto shifted = softmaxWithTemperature({1.f, 3.f, -1.f}, 2.0); // +1.5 after /2 = +3 before
        for (std::size_t i = 0; i < 3; ++i) QVERIFY(std::abs(biased[i] - shifted[i]) < 1e-6f);
        QCOMPARE(calibratedSoftmax(l, 2.0, {}), softmaxWithTemperature(l, 2.0));
    }

    void aSkewedPriorIsCorrectedByTheClassBias()
    {
        // A calibrated model that then says label 4 ("neutral") e^1.5 = 4.5 times too readily, and is 2x
        // over-confident: the temperature undoes the second, the bias the first.
        std::vector<std::vector<float>> logits;
        std::vector<int> truth;
        synthetic(20000, 1.0, logits, truth, 11);
        for (auto& l : logits) {
            l[4] += 1.5f;
            for (auto& v : l) v *= 2.0f;
        }
        const auto recallMean = [&](const CalibrationFit& f) { // UAR of the calibrated verdicts
            std::vector<double> right(7, 0), count(7, 0);
            for (std::size_t i = 0; i < logits.size(); ++i) {
                const auto p = calibratedSoftmax(logits[i], f.temperature, f.classBias);
                const int top = int(std::max_element(p.begin(), p.end()) - p.begin());
                count[std::size_t(truth[i])] += 1;
                right[std::size_t(truth[i])] += top == truth[i] ? 1 : 0;
            }
            double sum = 0;
            for (int c = 0; c < 7; ++c) sum += right[std::size_t(c)] / count[std::size_t(c)];
            return sum / 7;
        };
        const CalibrationFit plain = fitCalibration(logits, truth);
        const CalibrationFit biased = fitCalibration(logits, truth, 0.7, {}, true);
        QVERIFY(plain.classBias.empty());
        QCOMPARE(int(biased.classBias.size()), 7);
        double others = 0;
        for (int c = 0; c < 7; ++c) others += c == 4 ? 0 : biased.classBias[std::size_t(c)] / 6;
        const double neutral = biased.classBias[4] - others;
        QVERIFY2(std::abs(neutral + 1.5) < 0.25, qPrintable(QString::number(neutral)));
        QVERIFY2(std::abs(biased.temperature - 2.0) < 0.3, qPrintable(QString::number(biased.temperature)));
        QVERIFY(biased.nllAfter < plain.nllAfter);
        QVERIFY(biased.eceAfter < plain.eceAfter);
        QVERIFY2(recallMean(biased) > recallMean(plain) + 0.03,
                 qPrintable(QStringLiteral("%1 -> %2").arg(recallMean(plain)).arg(recallMean(biased))));
        QVERIFY(QString::fromStdString(biased.toJson()).contains(QStringLiteral("\"class_bias\"")));
    }

    void cardKeepsTheClassBias()
    {
        ModelCard card;
        card.labels = {"angry", "happy", "sad"};
        card.calibration.classBias = {0.5, -1.0, 0.5};
        QCOMPARE(ModelCard::fromJson(card.toJson()).calibration.classBias, card.calibration.classBias);
        card.calibration.classBias.clear(); // none: as older files, no field
        QVERIFY(!QString::fromStdString(card.toJson()).contains(QStringLiteral("class_bias")));
        card.calibration.classBias = {0.5, -1.0};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, card.validate());
        card.calibration.classBias = {0.5, -1.0, 50.0};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, card.validate());
    }

    void eceOfKnownBins()
    {
        // Two clips at confidence 0.9, one right and one wrong: |0.5 - 0.9| = 0.4.
        const std::vector<std::vector<float>> p{{0.9f, 0.1f}, {0.9f, 0.1f}};
        QVERIFY(std::abs(expectedCalibrationError(p, {0, 1}) - 0.4) < 1e-6);
        QVERIFY(std::abs(expectedCalibrationError(p, {0, 0}) - 0.1) < 1e-6);
        // Weighted: the right clip counts 3 times, the wrong one once: |0.75 - 0.9| = 0.15.
        QVERIFY(std::abs(expectedCalibrationError(p, {0, 1}, 15, {3.0, 1.0}) - 0.15) < 1e-6);
    }

    // The bundled model refitted on RAVDESS Actor_08 (never trained on) and every 25th clip of TESS's OAF: the new
    // temperature is the worst-corpus minimiser of the same clips scored independently here (the old model's
    // probabilities with its temperature undone), the written model gives the old probabilities re-tempered, and the
    // card says what was done.
    void recalibrateRefitsTheBundledModel()
    {
        const std::string modelPath = testdata::bundledModel().toStdString();
        ScanOptions scan;
        scan.probeFiles = false;
        const Dataset ds = combineDatasets({scanDataset(testdata::tessDir().toStdString(), scan),
                                            scanDataset(testdata::ravdessDir().toStdString(), scan)});
        std::vector<int> idx;
        int oaf = 0;
        for (int i = 0; i < int(ds.clips.size()); ++i) {
            const Clip& c = ds.clips[std::size_t(i)];
            if (c.speaker == "Actor_08" || (c.speaker == "OAF" && oaf++ % 25 == 0)) idx.push_back(i);
        }
        QVERIFY(idx.size() > 80);
        QTemporaryDir dir;
        RecalibrateOptions written;
        written.out = dir.filePath("recalibrated.pt").toStdString();
        const RecalibrateResult r = recalibrateModel(modelPath, ds, idx, written);
        QVERIFY(!r.cancelled);
        QVERIFY(r.errors.empty());
        QCOMPARE(r.fit.clips, int(idx.size()));
        QCOMPARE(r.speakers, (std::vector<std::string>{"Actor_08", "OAF"}));
        QCOMPARE(int(r.corpora.size()), 2);

        // The same clips through the original model; its temperature undone gives logits up to a constant.
        const auto original = Classifier::load(modelPath);
        const double oldT = original->card().calibration.temperature;
        QVERIFY(original->card().calibration.classBias.empty());
        std::vector<std::string> files;
        std::vector<std::string> corpus;
        std::vector<int> truth;
        for (int i : idx) {
            const Clip& c = ds.clips[std::size_t(i)];
            files.push_back(c.path);
            corpus.push_back(corpusNameOf(c.source));
            truth.push_back(int(std::find(original->labels().begin(), original->labels().end(), c.label) -
                                original->labels().begin()));
        }
        std::vector<std::vector<float>> logits;
        for (const auto& f : original->classifyFiles(files)) {
            QVERIFY2(f.error.empty(), f.error.c_str());
            std::vector<float> z;
            for (float p : f.probabilities) z.push_back(float(oldT * std::log(std::max(p, 1e-30f))));
            logits.push_back(z);
        }
        const auto worstAt = [&](double T) {
            double worst = 0;
            for (const auto& [name, c] : r.corpora) {
                std::vector<std::vector<float>> p;
                std::vector<int> t;
                for (std::size_t i = 0; i < logits.size(); ++i)
                    if (corpus[i] == name) {
                        p.push_back(softmaxWithTemperature(logits[i], T));
                        t.push_back(truth[i]);
                    }
                if (int(p.size()) != c.clips) return 2.0; // a corpus count that disagrees fails every check below
                worst = std::max(worst, expectedCalibrationError(p, t));
            }
            return worst;
        };
        const double newT = r.fit.temperature;
        double reportedWorst = 0;
        for (const auto& [name, c] : r.corpora) reportedWorst = std::max(reportedWorst, c.eceAfter);
        qInfo("T %.3f -> %.3f, worst-corpus ECE %.4f -> %.4f, threshold %.2f -> %.2f", oldT, newT, worstAt(oldT),
              worstAt(newT), r.before.uncertainThreshold, r.fit.uncertainThreshold);
        QVERIFY(std::abs(worstAt(newT) - reportedWorst) < 1e-3);
        for (double other = newT / 2; other <= newT * 2; other *= 1.1)
            QVERIFY2(worstAt(newT) <= worstAt(other) + 1e-3, qPrintable(QString::number(other)));
        QVERIFY(r.fit.uncertainThreshold >= 0.3 && r.fit.uncertainThreshold <= 0.8);

        // Written: same weights and front end, the probabilities of the old model re-tempered.
        const auto refit = Classifier::load(written.out);
        QCOMPARE(refit->card().calibration.temperature, newT);
        QCOMPARE(refit->card().calibration.uncertainThreshold, r.fit.uncertainThreshold);
        QVERIFY(refit->card().features == original->card().features);
        const auto again = refit->classifyFiles({files.front(), files.back()});
        for (std::size_t k = 0; k < 2; ++k) {
            const auto expected = softmaxWithTemperature(logits[k == 0 ? 0 : logits.size() - 1], newT);
            for (std::size_t l = 0; l < expected.size(); ++l)
                QVERIFY(std::abs(again[k].probabilities[l] - expected[l]) < 1e-4);
        }
        const auto prov = nlohmann::json::parse(refit->card().provenanceJson);
        QCOMPARE(prov["calibration_objective"].get<std::string>(), std::string("smallest worst-corpus ECE"));
        QCOMPARE(prov["recalibrated"]["clips"].get<int>(), int(idx.size()));
        QCOMPARE(prov["recalibrated"]["before"]["temperature"].get<double>(), oldT);
        QVERIFY(prov.contains("command")); // the training provenance is kept

        // Refusals and cancellation.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, recalibrateModel(modelPath, ds, {}));
        std::atomic<bool> cancel{true};
        RecalibrateOptions cancelled;
        cancelled.out = dir.filePath("cancelled.pt").toStdString();
        QVERIFY(recalibrateModel(modelPath, ds, idx, cancelled, {}, &cancel).cancelled);
        QVERIFY(!QFile::exists(QString::fromStdString(cancelled.out))); // nothing written
        QVERIFY_THROWS_EXCEPTION(std::exception, recalibrateModel(dir.filePath("none.pt").toStdString(), ds, idx));
    }
};

QTEST_GUILESS_MAIN(TestCalibration)
#include "test_calibration.moc"
