// SPDX-License-Identifier: GPL-3.0-or-later
// Regression guard for the bundled model: it loads, its card describes it (robust-wide recipe, calibration), it still
// scores >= 99.5% on the 420 test clips of TESS's fixed split (split.csv), >= 90% of them get the status "ok", and
// silence, noise, hum, a short tone and a sweep get no emotion (no_speech or uncertain).
#include "AudioFixtures.h"
#include "TestData.h"
#include "infer/Classifier.h"
#include "model/ModelFile.h"
#include "train/Dataset.h"
#include "train/Trainer.h"
#include <QFile>
#include <QtTest>

using namespace emoscope;

class TestShippedModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cardDescribesTheModel()
    {
        const QString path = testdata::bundledModel();
        QVERIFY2(QFile::exists(path), qPrintable(path));
        QVERIFY(QFileInfo(path).size() < 50 * 1024 * 1024);
        const ModelCard card = readModelCard(path.toStdString());
        QCOMPARE(card.labels, emotionLabels());
        // The recipe models/train-shipped.sh names: its 16 kHz speech front end and its network, stored in the file.
        TrainOptions shipped;
        applyRecipe("robust-wide", shipped);
        QVERIFY(card.features == shipped.features);
        QVERIFY(card.arch == shipped.arch);
        QVERIFY(card.input == shipped.input);
        QVERIFY(card.norm.perUtteranceBandMean);
        // Calibrated on held-out speakers: a fitted temperature and an "uncertain" threshold.
        QVERIFY(card.calibration.temperature != 1.0);
        QVERIFY(card.calibration.uncertainThreshold > 1.0 / 7 && card.calibration.uncertainThreshold < 1.0);
        QVERIFY(QString::fromStdString(card.metricsJson).contains("\"calibration\""));
        QVERIFY(QString::fromStdString(card.provenanceJson).contains("\"recipe\":\"robust-wide\""));
        QVERIFY(!card.provenanceJson.empty());
        QVERIFY(QString::fromStdString(card.provenanceJson).contains("emoscope-cli train"));
        QVERIFY(QString::fromStdString(card.metricsJson).contains("\"test\""));
        // The recipe's calibration rule (TrainOptions::calibrateWorstCorpus), refitted on the file's own validation
        // speakers by `emoscope-cli calibrate` (models/README.md, "Calibration methods compared").
        QVERIFY(shipped.calibrateWorstCorpus);
        QVERIFY(QString::fromStdString(card.provenanceJson).contains("\"calibration_objective\":\"smallest worst-corpus ECE\""));
        QVERIFY(QString::fromStdString(card.provenanceJson).contains("emoscope-cli calibrate"));
    }

    void scoresOnTessTestPart()
    {
        setComputeThreads(2);
        const auto model = Classifier::load(testdata::bundledModel().toStdString());
        const Dataset tess = scanDataset(testdata::tessDir().toStdString());
        SplitSpec spec;
        spec.mode = SplitMode::Fixed;
        const Split split = makeSplit(tess, spec);
        QCOMPARE(int(split.test.size()), 420);
        const EvaluationReport r = evaluateModel(*model, tess, split.test);
        QVERIFY(r.errors.empty());
        QCOMPARE(r.total(), 420);
        QVERIFY2(r.accuracy >= 0.995, qPrintable(QString("accuracy %1").arg(r.accuracy)));
        for (std::size_t i = 0; i < r.recall.size(); ++i) QVERIFY(r.recall[i] >= 0.95);
        // The verdict: speech that the model knows well is "ok", not "uncertain".
        std::vector<std::string> files;
        for (int i : split.test) files.push_back(tess.clips[std::size_t(i)].path);
        int ok = 0;
        for (const auto& f : model->judgeFiles(files)) {
            QVERIFY2(f.error.empty(), f.error.c_str());
            ok += f.status == VerdictStatus::Ok;
        }
        QVERIFY2(ok >= 0.9 * 420, qPrintable(QString("%1 of 420 ok").arg(ok)));
    }

    void nonSpeechGetsNoEmotion()
    {
        const auto model = Classifier::load(testdata::bundledModel().toStdString());
        const auto fixtures = fixtures::nonSpeech();
        QVERIFY(fixtures.size() >= 6);
        for (const auto& f : fixtures) {
            AudioBuffer a;
            a.sampleRate = fixtures::kRate;
            a.samples = f.samples;
            const Verdict v = model->judge(a);
            QVERIFY2(v.status != VerdictStatus::Ok, f.name.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestShippedModel)
#include "test_shipped_model.moc"
