// SPDX-License-Identifier: GPL-3.0-or-later
// Trainer: learning lowers the loss, cancellation stops within one batch, resuming from a checkpoint reproduces an
// uninterrupted run exactly, and the on-disk feature cache is reused.
#include "ContainerEdit.h"
#include "ModelTestSupport.h"
#include "model/ModelError.h"
#include "model/Softmax.h"
#include "train/Checkpoint.h"
#include "infer/Classifier.h"
#include "train/FeatureCache.h"
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

using namespace emoscope;

namespace {

// A mono 32-bit float WAV (written by hand: the fixture must hold values no encoder would produce).
QByteArray floatWav(const std::vector<float>& x, int rate)
{
    QByteArray b;
    const auto u32 = [&](quint32 v) { b.append(reinterpret_cast<const char*>(&v), 4); };
    const auto u16 = [&](quint16 v) { b.append(reinterpret_cast<const char*>(&v), 2); };
    const quint32 data = quint32(x.size() * 4);
    b += "RIFF";
    u32(36 + data);
    b += "WAVEfmt ";
    u32(16);
    u16(3); // IEEE float
    u16(1);
    u32(quint32(rate));
    u32(quint32(rate) * 4);
    u16(4);
    u16(32);
    b += "data";
    u32(data);
    b.append(reinterpret_cast<const char*>(x.data()), qsizetype(data));
    return b;
}

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

    // Two runs of the same options (and seed): the first run's trainer and result, and whether both runs gave the
    // same model.
    struct TwoRuns {
        std::unique_ptr<Trainer> trainer;
        TrainResult result;
        bool same = false;
    };
    TwoRuns runTwice(const Split& split, const TrainOptions& o, const TrainCallbacks& firstCallbacks = {})
    {
        TwoRuns r;
        r.trainer = std::make_unique<Trainer>(data_, split, o);
        r.result = r.trainer->run(firstCallbacks);
        Trainer again(data_, split, o);
        again.run();
        r.same = outputs(*r.trainer->classifier(), data_) == outputs(*again.classifier(), data_);
        return r;
    }

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
        // The validation logits the trainer keeps (and calibrates on) are the inference path's: their softmax is
        // what the Classifier gives for the same files (the card's temperature is 1 here: no calibration).
        QCOMPARE(int(r.validationLogits.size()), r.validationClips);
        QCOMPARE(int(r.validationIndices.size()), r.validationClips);
        const auto model = t.classifier();
        QCOMPARE(model->card().calibration.temperature, 1.0);
        for (std::size_t n = 0; n < r.validationLogits.size(); ++n) {
            const auto expected = softmaxWithTemperature(r.validationLogits[n], 1.0);
            const auto got = model->classifyFile(data_.clips[std::size_t(r.validationIndices[n])].path);
            for (std::size_t l = 0; l < expected.size(); ++l)
                QVERIFY2(std::abs(got[l] - expected[l]) < 1e-4, qPrintable(QString("clip %1 label %2: %3 vs %4")
                                                                          .arg(n).arg(l).arg(got[l]).arg(expected[l])));
        }
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
        TrainOptions o = testdata::tinyOptions(2, 11);
        o.augment.noise = true; // every augmentation draws random numbers: all of them must be restored
        checkResumeEqualsUninterrupted(o, "");
    }

    // The weight average is part of the state: stored in the checkpoint and restored, so a resumed run keeps, scores
    // and saves exactly what the uninterrupted one does.
    void resumeWithWeightAverageEqualsUninterruptedRun()
    {
        TrainOptions o = testdata::tinyOptions(2, 11);
        o.weightAverageDecay = 0.9;
        checkResumeEqualsUninterrupted(o, "average-");
        // The checkpoint with an average passes the same inspection as any other.
        QCOMPARE(readCheckpoint(tmp_.filePath("average-b.ckpt").toStdString()).epoch, 2);
    }

    // The average is what is validated and kept: the same run with and without it gives different models, and its
    // card says which was used.
    void weightAverageIsWhatIsKept()
    {
        const Split split = testdata::allTrain(data_);
        TrainOptions o = testdata::tinyOptions(2, 4);
        Trainer plain(data_, split, o);
        plain.run();
        o.weightAverageDecay = 0.9;
        Trainer averaged(data_, split, o);
        const TrainResult r = averaged.run();
        QVERIFY(!r.cancelled);
        QVERIFY(outputs(*plain.classifier(), data_) != outputs(*averaged.classifier(), data_));
        QVERIFY(QString::fromStdString(averaged.card().provenanceJson).contains("\"weight_average_decay\":0.9"));
    }

    // Mixup draws its blend from the epoch's generator: the same seed gives the same model, and it changes training.
    void mixupIsReproducibleAndChangesTraining()
    {
        const Split split = testdata::allTrain(data_);
        TrainOptions o = testdata::tinyOptions(1, 6);
        Trainer plain(data_, split, o);
        const TrainResult rp = plain.run();
        o.mixupAlpha = 0.4;
        const TwoRuns mixup = runTwice(split, o);
        QVERIFY(mixup.same);
        QVERIFY(outputs(*mixup.trainer->classifier(), data_) != outputs(*plain.classifier(), data_));
        QVERIFY(mixup.result.history.front().trainLoss != rp.history.front().trainLoss);
    }

    // The speaker adversary (robust-wide-adversary) is drawn from the run's seed: the same seed gives the same model,
    // it changes training, it names the training speakers it tells apart, and the card records its weight. The
    // model file holds the emotion network only: same size as without it.
    void speakerAdversaryIsReproducibleAndChangesTraining()
    {
        const Split split = testdata::allTrain(data_);
        TrainOptions o = testdata::tinyOptions(2, 6);
        Trainer plain(data_, split, o);
        plain.run();
        o.speakerAdversaryWeight = 1.0;
        std::vector<std::string> log;
        TrainCallbacks cb;
        cb.onLog = [&](const std::string& line) { log.push_back(line); };
        const TwoRuns adversary = runTwice(split, o, cb);
        QVERIFY(!adversary.result.cancelled);
        QVERIFY(adversary.same);
        QVERIFY(outputs(*adversary.trainer->classifier(), data_) != outputs(*plain.classifier(), data_));
        // tessSubset holds both TESS voices (OAF and YAF).
        QVERIFY(std::any_of(log.begin(), log.end(),
                            [](const std::string& l) { return l == "speaker adversary: 2 training speakers, weight 1"; }));
        QVERIFY(QString::fromStdString(adversary.trainer->card().provenanceJson).contains("\"speaker_adversary_weight\":1.0"));
        const QString withPath = tmp_.filePath("adversary.pt"), withoutPath = tmp_.filePath("plain.pt");
        adversary.trainer->saveModel(withPath.toStdString());
        plain.saveModel(withoutPath.toStdString());
        QVERIFY(std::abs(QFileInfo(withPath).size() - QFileInfo(withoutPath).size()) < 4096); // the card differs a little
    }

    void checkResumeEqualsUninterrupted(TrainOptions o, const QString& tag)
    {
        const Split split = testdata::allTrain(data_);
        // Uninterrupted: 2 epochs.
        o.checkpointPath = tmp_.filePath(tag + "a.ckpt").toStdString();
        Trainer a(data_, split, o);
        const TrainResult ra = a.run();
        QVERIFY(!ra.cancelled);

        // Interrupted after epoch 1, then resumed from its checkpoint by a new Trainer.
        o.checkpointPath = tmp_.filePath(tag + "b.ckpt").toStdString();
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
        QVERIFY(QFile::exists(tmp_.filePath(tag + "b.ckpt")));
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

    void checkpointIsOwnContainerAndReadable()
    {
        // Written by resumeEqualsUninterruptedRun: our container, never a TorchScript (zip) archive.
        const QByteArray b = testdata::readBytes(tmp_.filePath("b.ckpt"));
        QVERIFY(b.startsWith(QByteArray("EMOSCOPE-CKPT\n", 14)));
        const CheckpointInfo info = readCheckpoint(tmp_.filePath("b.ckpt").toStdString());
        QCOMPARE(info.epoch, 2);
        QCOMPARE(info.card.labels, data_.labels);
    }

    void oldFormatCheckpointIsRefusedWithoutRunningIt()
    {
        // An old-format (TorchScript zip) checkpoint with a planted __setstate__ that would create a marker file.
        const QString marker = tmp_.filePath("pwned");
        const QByteArray code = "def __setstate__(self, state):\n    open('" + marker.toUtf8() + "', 'w')\n";
        QByteArray zip("PK\x03\x04", 4);
        zip += QByteArray(26, '\0') + "archive/code/__torch__/emoscope.py" + code;
        zip += "archive/data.pkl" + QByteArray("\x80\x02c__torch__.emoscope\nX\n__setstate__", 36);
        const QString path = tmp_.filePath("old.ckpt");
        QVERIFY(testdata::writeBytes(path, zip));
        try {
            readCheckpoint(path.toStdString());
            QFAIL("accepted");
        } catch (const ModelError& e) {
            QVERIFY2(QString(e.what()).startsWith(path + ": ") && QString(e.what()).contains("old-format"), e.what());
        }
        // Through --resume as well, and the planted code never ran.
        TrainOptions o = testdata::tinyOptions(1, 3);
        o.checkpointPath = path.toStdString();
        o.resume = true;
        Trainer t(data_, testdata::allTrain(data_), o);
        try {
            t.run();
            QFAIL("resumed from an old-format checkpoint");
        } catch (const ModelError& e) {
            QVERIFY2(QString(e.what()).contains("old-format") && QString(e.what()).contains("could run code"), e.what());
        }
        QVERIFY(!QFile::exists(marker));
    }

    void mutatedCheckpointsGiveErrorsNeverCrashes()
    {
        const QByteArray good = testdata::readBytes(tmp_.filePath("b.ckpt"));
        QVERIFY(good.size() > 10000);
        const QString path = tmp_.filePath("mutant.ckpt");
        int refused = 0, accepted = 0;
        const auto tryOne = [&](const QByteArray& bytes) {
            QVERIFY(testdata::writeBytes(path, bytes));
            try {
                readCheckpoint(path.toStdString());
                ++accepted;
            } catch (const ModelError& e) {
                QVERIFY2(QString(e.what()).startsWith(path + ": "), e.what());
                ++refused;
            } // any other exception type fails the test; a crash ends it
        };
        // Flipped bytes at 400 offsets (the checksum catches them), then the same with the checksum fixed (so the
        // header, JSON and tensor table parsers see them), then truncations.
        const qsizetype step = std::max<qsizetype>(1, good.size() / 400);
        for (qsizetype off = 0; off < good.size(); off += step) {
            QByteArray m = good;
            m[off] = char(m[off] ^ 0xA5);
            tryOne(m);
            tryOne(testdata::withFixedCrc(m));
        }
        // The first 600 bytes hold the header, the JSON state and the first tensor entries: every one of them.
        for (qsizetype off = 0; off < std::min<qsizetype>(600, good.size()); ++off) {
            QByteArray m = good;
            m[off] = char(m[off] ^ 0xFF);
            tryOne(testdata::withFixedCrc(m));
        }
        for (qsizetype len = 0; len < good.size(); len += std::max<qsizetype>(1, good.size() / 100)) tryOne(good.left(len));
        QVERIFY(refused > 1000);
        QVERIFY(accepted > 0); // flips inside weight data keep a well-formed file (restore checks the values)
    }

    void nonFiniteCheckpointWeightsAreRefusedOnResume()
    {
        auto c = testdata::parseContainerBytes(testdata::readBytes(tmp_.filePath("b.ckpt")));
        QVERIFY(c.ok);
        testdata::EditTensor* t = c.find("net/fc.bias");
        QVERIFY(t);
        const float nan = std::nanf("");
        std::memcpy(t->data.data(), &nan, 4);
        const QString path = tmp_.filePath("nan.ckpt");
        QVERIFY(testdata::writeBytes(path, testdata::packContainerBytes(c)));
        TrainOptions o = testdata::tinyOptions(2, 11);
        o.augment.noise = true;
        o.checkpointPath = path.toStdString();
        o.resume = true;
        Trainer t2(data_, testdata::allTrain(data_), o);
        try {
            t2.run();
            QFAIL("resumed");
        } catch (const ModelError& e) {
            QVERIFY2(QString(e.what()).startsWith(path + ": ") && QString(e.what()).contains("non-finite"), e.what());
        }
    }

    void clipWithNonFiniteSamplesIsNamedAndLeftOut()
    {
        std::vector<float> x(16000);
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.3f * float(std::sin(0.05 * double(i)));
        x[8000] = std::nanf("");
        const QString wav = tmp_.filePath("nan_angry.wav");
        QVERIFY(testdata::writeBytes(wav, floatWav(x, 16000)));
        Dataset ds = data_;
        Clip bad = ds.clips.front();
        bad.path = wav.toStdString();
        ds.clips.push_back(bad);
        std::vector<std::string> log;
        TrainCallbacks cb;
        cb.onLog = [&](const std::string& s) { log.push_back(s); };
        try {
            Trainer t(ds, testdata::allTrain(ds), testdata::tinyOptions(1, 5));
            const TrainResult r = t.run(cb);
            QCOMPARE(r.trainClips + r.validationClips, int(data_.clips.size())); // the bad clip is out
            QVERIFY(std::isfinite(r.history.back().trainLoss));
        } catch (const std::exception& e) {
            // Refused by the decoder instead (once audio rejects non-finite samples): then the message names it.
            QVERIFY2(QString(e.what()).contains(wav), e.what());
            return;
        }
        bool named = false;
        for (const auto& l : log) named |= l.find(wav.toStdString()) != std::string::npos;
        QVERIFY(named);
    }

    // A learning rate that would throw the weights to infinity on the first step is refused before any work
    // (TrainOptions::validate), so the run never gets as far as a non-finite loss.
    void absurdLearningRateIsRefusedBeforeTraining()
    {
        TrainOptions o = testdata::tinyOptions(2, 5);
        o.maxLearningRate = 1e38;
        Trainer t(data_, testdata::allTrain(data_), o);
        try {
            t.run();
            QFAIL("trained with a learning rate of 1e38");
        } catch (const TrainOptionsError& e) {
            QVERIFY2(e.option() == TrainOption::LearningRate, e.what());
        }
    }

    void oneLabelDatasetIsRefused()
    {
        Dataset ds = data_;
        ds.clips.erase(std::remove_if(ds.clips.begin(), ds.clips.end(), [](const Clip& c) { return c.label != "angry"; }),
                       ds.clips.end());
        QVERIFY(ds.clips.size() >= 5);
        Trainer t(ds, testdata::allTrain(ds), testdata::tinyOptions(1, 5));
        try {
            t.run();
            QFAIL("trained a one-label classifier");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("one label ('angry')"), e.what());
        }
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
