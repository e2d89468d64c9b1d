// SPDX-License-Identifier: GPL-3.0-or-later
// Regression guard for the bundled model: it loads, its card describes it, and it still scores >= 99.5% on the
// 420 test clips of TESS's fixed split (split.csv).
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
        QVERIFY(card.features == FeatureConfig{}); // librosa defaults: 22,050 Hz, n_fft 2048, hop 512, 128 mels
        QVERIFY(!card.provenanceJson.empty());
        QVERIFY(QString::fromStdString(card.provenanceJson).contains("emoscope-cli train"));
        QVERIFY(QString::fromStdString(card.metricsJson).contains("\"test\""));
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
    }
};

QTEST_GUILESS_MAIN(TestShippedModel)
#include "test_shipped_model.moc"
