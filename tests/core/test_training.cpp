// SPDX-License-Identifier: GPL-3.0-or-later
// Trainer: learning lowers the loss, cancellation stops within one batch, resuming from a checkpoint reproduces an
// uninterrupted run exactly, and the on-disk feature cache is reused.
#include "ModelTestSupport.h"
#include "infer/Classifier.h"
#include "train/FeatureCache.h"
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace emoscope;

namespace {

std::vector<std::vector<float>> outputs(const Classifier& c, const Dataset& ds)
{
    std::vector<std::vector<float>> out;
    for (const auto& clip : ds.clips) out.push_back(c.classifyFile(clip.path));
    return out;
}

} // namespace

class TestTraining : public QObject {
    Q_OBJECT

private:
    Dataset data_;
    QTemporaryDir tmp_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        data_ = testdata::tessSubset(10);
        QCOMPARE(int(data_.clips.size()), 70);
    }

    void lossGoesDown()
    {
        TrainOptions o = testdata::tinyOptions(6, 3);
        o.augment = Augmentations{false, false, false, false};
        o.maxLearningRate = 1e-2;
        Trainer t(data_, testdata::allTrain(data_), o);
        std::vector<double> batchLosses;
        TrainCallbacks cb;
        cb.onBatch = [&](const BatchProgress& p) {
            QVERIFY(p.batch >= 1 && p.batch <= p.batches);
            QVERIFY(p.etaSeconds >= 0);
            batchLosses.push_back(p.loss);
        };
        const TrainResult r = t.run(cb);
        QCOMPARE(int(r.history.size()), 6);
        QVERIFY(!batchLosses.empty());
        QVERIFY2(r.history.back().trainLoss < r.history.front().trainLoss,
                 qPrintable(QString("first %1 last %2").arg(r.history.front().trainLoss).arg(r.history.back().trainLoss)));
        QVERIFY(r.history.back().trainAccuracy > r.history.front().trainAccuracy);
        QCOMPARE(r.trainClips + r.validationClips, 70);
        QCOMPARE(r.validationClips, 14); // stratified: 20% of 10 per label
        QVERIFY(r.bestEpoch >= 1 && r.bestEpoch <= 6);
        QVERIFY(r.history[std::size_t(r.bestEpoch - 1)].best);
        QCOMPARE(r.test.total(), 0); // no test part in this split
    }

    void cancelStopsWithinOneBatch()
    {
        TrainOptions o = testdata::tinyOptions(5);
        o.batchSize = 8;
        Trainer t(data_, testdata::allTrain(data_), o);
        std::atomic<bool> cancel{false};
        int batchesSeen = 0, afterCancel = 0;
        TrainCallbacks cb;
        cb.onBatch = [&](const BatchProgress& p) {
            if (cancel) ++afterCancel;
            ++batchesSeen;
            if (p.epoch == 2 && p.batch == 2) cancel = true;
        };
        const TrainResult r = t.run(cb, &cancel);
        QVERIFY(r.cancelled);
        QCOMPARE(afterCancel, 0);
        QCOMPARE(int(r.history.size()), 1); // epoch 1 completed, epoch 2 stopped
        QVERIFY(batchesSeen < 5 * 8);
        QCOMPARE(r.test.total(), 0);
        // The best weights so far are usable.
        const auto c = t.classifier();
        const auto p = c->classifyFile(data_.clips.front().path);
        QCOMPARE(p.size(), std::size_t(7));
    }

    void resumeEqualsUninterruptedRun()
    {
        const Split split = testdata::allTrain(data_);
        TrainOptions o = testdata::tinyOptions(2, 11);
        o.augment.noise = true; // every augmentation draws random numbers: all of them must be restored

        // Uninterrupted: 2 epochs.
        o.checkpointPath = tmp_.filePath("a.ckpt").toStdString();
        Trainer a(data_, split, o);
        const TrainResult ra = a.run();
        QVERIFY(!ra.cancelled);

        // Interrupted after epoch 1, then resumed from its checkpoint by a new Trainer.
        o.checkpointPath = tmp_.filePath("b.ckpt").toStdString();
        std::atomic<bool> cancel{false};
        TrainCallbacks stopAfterFirst;
        stopAfterFirst.onEpoch = [&](const EpochReport& e) {
            if (e.epoch == 1) cancel = true;
        };
        {
            Trainer b1(data_, split, o);
            const TrainResult r1 = b1.run(stopAfterFirst, &cancel);
            QVERIFY(r1.cancelled);
            QCOMPARE(int(r1.history.size()), 1);
        }
        QVERIFY(QFile::exists(tmp_.filePath("b.ckpt")));
        o.resume = true;
        Trainer b2(data_, split, o);
        const TrainResult rb = b2.run();
        QVERIFY(!rb.cancelled);
        QCOMPARE(rb.resumedFromEpoch, 1);
        QCOMPARE(int(rb.history.size()), 2);
        for (int e = 0; e < 2; ++e) {
            QCOMPARE(rb.history[e].trainLoss, ra.history[e].trainLoss);
            QCOMPARE(rb.history[e].validationLoss, ra.history[e].validationLoss);
        }
        QCOMPARE(rb.bestEpoch, ra.bestEpoch);
        // Exactly the same network: identical probabilities on every clip.
        QVERIFY(outputs(*a.classifier(), data_) == outputs(*b2.classifier(), data_));
        // And the same saved card apart from time stamps.
        QVERIFY(a.card().norm == b2.card().norm);
    }

    void differentSeedGivesDifferentModel()
    {
        // Guards the resume test: if seeds were ignored, equal outputs would prove nothing.
        const Split split = testdata::allTrain(data_);
        Trainer a(data_, split, testdata::tinyOptions(1, 1));
        Trainer b(data_, split, testdata::tinyOptions(1, 2));
        a.run();
        b.run();
        QVERIFY(outputs(*a.classifier(), data_) != outputs(*b.classifier(), data_));
    }

    void featureCacheIsReused()
    {
        std::vector<std::string> files;
        for (int i = 0; i < 8; ++i) files.push_back(data_.clips[std::size_t(i) * 8].path);
        files.push_back("/no/such/file.wav");
        const std::string dir = tmp_.filePath("cache").toStdString();
        FeatureCache first(FeatureConfig{}, dir);
        const auto o1 = first.prepare(files, 2);
        QCOMPARE(first.computed(), 8);
        QCOMPARE(first.diskHits(), 0);
        QCOMPARE(int(o1.failed.size()), 1);
        QCOMPARE(o1.failed.front(), 8);
        QVERIFY(QString::fromStdString(o1.errors.front()).startsWith("/no/such/file.wav: "));

        FeatureCache second(FeatureConfig{}, dir);
        second.prepare(files, 2);
        QCOMPARE(second.diskHits(), 8);
        QCOMPARE(second.computed(), 0);
        for (int i = 0; i < 8; ++i) {
            const MelMatrix& a = first.get(files[i]);
            const MelMatrix& b = second.get(files[i]);
            QCOMPARE(b.nMels, a.nMels);
            QCOMPARE(b.frames, a.frames);
            QVERIFY(a.data == b.data);
        }
        // Another feature setting must not reuse those entries.
        FeatureConfig other;
        other.nMels = 64;
        FeatureCache third(other, dir);
        third.prepare(files, 2);
        QCOMPARE(third.diskHits(), 0);
        QCOMPARE(third.computed(), 8);
        QCOMPARE(third.get(files[0]).nMels, 64);
    }
};

QTEST_GUILESS_MAIN(TestTraining)
#include "test_training.moc"
