// SPDX-License-Identifier: GPL-3.0-or-later
// The trainer's non-finite-loss guard (issue 11). The checks on audio, features and options keep NaN out of a normal
// run, so the test forces it in past them: TrainCallbacks::onBatchInputs turns one batch's inputs into NaN, the
// forward pass and the loss go NaN, and training must stop at that batch with an error naming the epoch, the batch
// and its clips, before the step reaches the weights: the checkpoint of the epoch before stays finite and resumes.
#include "ModelTestSupport.h"
#include "infer/Classifier.h"
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <limits>

using namespace emoscope;

class TestLossGuard : public QObject {
    Q_OBJECT

private:
    Dataset data_;
    QTemporaryDir tmp_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        data_ = testdata::tessSubset(6);
        QCOMPARE(int(data_.clips.size()), 42);
    }

    void nonFiniteLossStopsTrainingNamingTheBatch()
    {
        TrainOptions o = testdata::tinyOptions(3);
        o.checkpointPath = tmp_.filePath(QStringLiteral("run.ckpt")).toStdString();
        Trainer t(data_, testdata::allTrain(data_), o);
        int batchesStepped = 0, poisonedAt = 0;
        std::vector<std::string> log;
        TrainCallbacks cb;
        cb.onLog = [&](const std::string& s) { log.push_back(s); };
        cb.onBatch = [&](const BatchProgress& p) {
            QVERIFY(std::isfinite(p.loss));
            ++batchesStepped;
        };
        cb.onBatchInputs = [&](int epoch, int batch, std::vector<MelMatrix>& inputs) {
            if (epoch != 2 || batch != 1) return;
            poisonedAt = batchesStepped;
            inputs.front().data[inputs.front().data.size() / 2] = std::numeric_limits<float>::quiet_NaN();
        };
        QString message;
        try {
            t.run(cb);
        } catch (const std::runtime_error& e) {
            message = QString::fromUtf8(e.what());
        }
        QVERIFY2(message.startsWith(QStringLiteral("training diverged: the loss is not finite in epoch 2, batch 1 (clips ")),
                 qPrintable(message));
        // The batch's clips are named (up to 8 of its 16, then "...").
        int named = 0;
        for (const auto& c : data_.clips)
            named += message.contains(QString::fromStdString(c.path)) ? 1 : 0;
        QCOMPARE(named, 8);
        QVERIFY(message.endsWith(QStringLiteral(", ...)")));
        QVERIFY(poisonedAt > 0);
        QCOMPARE(batchesStepped, poisonedAt); // no step after the poisoned batch's forward pass

        // The checkpoint on disk is the one written after epoch 1: finite, and a resumed run completes.
        QVERIFY(QFileInfo::exists(QString::fromStdString(o.checkpointPath)));
        TrainOptions resumed = o;
        resumed.resume = true;
        Trainer again(data_, testdata::allTrain(data_), resumed);
        const TrainResult r = again.run();
        QCOMPARE(r.resumedFromEpoch, 1);
        QCOMPARE(int(r.history.size()), 3);
        for (const auto& e : r.history)
            QVERIFY2(std::isfinite(e.trainLoss) && std::isfinite(e.validationLoss), qPrintable(QString::number(e.epoch)));
        const QString out = tmp_.filePath(QStringLiteral("resumed.pt"));
        again.saveModel(out.toStdString()); // refuses non-finite weights
        const auto model = Classifier::load(out.toStdString());
        for (float p : model->classifyFile(data_.clips.front().path))
            QVERIFY(std::isfinite(p));
    }
};

QTEST_GUILESS_MAIN(TestLossGuard)
#include "test_loss_guard.moc"
