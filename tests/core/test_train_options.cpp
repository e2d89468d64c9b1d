// SPDX-License-Identifier: GPL-3.0-or-later
// TrainOptions::validate(): the one set of training limits (the CLI's train/report and the GUI's Train tab call it,
// and Trainer::run does too), and the one "from scratch" rule.
#include "train/Trainer.h"
#include "train/TrainOptions.h"
#include "util/ThreadLimit.h"

#include <QTest>
#include <cmath>
#include <limits>

using emoscope::TrainOption;
using emoscope::TrainOptions;

namespace {

// The option validate() refuses, or nothing.
std::optional<TrainOption> refusal(const TrainOptions& o)
{
    try {
        o.validate();
    } catch (const emoscope::TrainOptionsError& e) {
        return e.option();
    }
    return std::nullopt;
}

} // namespace

class TestTrainOptions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsAndRecipesAreValid()
    {
        QVERIFY(!refusal(TrainOptions{}));
        TrainOptions robust;
        emoscope::applyRecipe("robust", robust);
        QVERIFY(!refusal(robust));
    }

    void eachLimitIsChecked()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        auto check = [](const char* name, TrainOptions o, TrainOption expected) {
            const auto r = refusal(o);
            QVERIFY2(r.has_value(), name);
            QVERIFY2(*r == expected, name);
        };
        TrainOptions o;
        o = {}; o.epochs = 0; check("epochs 0", o, TrainOption::Epochs);
        o = {}; o.epochs = emoscope::TrainLimits::maxEpochs + 1; check("epochs max+1", o, TrainOption::Epochs);
        o = {}; o.batchSize = 0; check("batch 0", o, TrainOption::BatchSize);
        o = {}; o.maxLearningRate = nan; check("lr nan", o, TrainOption::LearningRate);
        o = {}; o.maxLearningRate = 0; check("lr 0", o, TrainOption::LearningRate);
        o = {}; o.maxLearningRate = 2; check("lr 2", o, TrainOption::LearningRate);
        o = {}; o.weightDecay = nan; check("weight decay nan", o, TrainOption::WeightDecay);
        o = {}; o.weightDecay = -0.1; check("weight decay < 0", o, TrainOption::WeightDecay);
        o = {}; o.labelSmoothing = 1; check("label smoothing 1", o, TrainOption::LabelSmoothing);
        o = {}; o.validationFraction = inf; check("val fraction inf", o, TrainOption::ValidationFraction);
        o = {}; o.validationSpeakerFraction = -0.1; check("val speakers", o, TrainOption::ValidationSpeakers);
        o = {}; o.augment.frequencyWarp = true; o.augment.frequencyWarpMax = 0.6; check("warp", o, TrainOption::WarpRange);
        o = {}; o.threads = emoscope::maxUserThreads() + 1; check("threads", o, TrainOption::Threads);
        o = {}; o.threads = -1; check("threads -1", o, TrainOption::Threads);
        o = {}; o.arch.widths = {8, 4096}; check("width 4096", o, TrainOption::Widths);
        o = {}; o.arch.widths = {}; check("no widths", o, TrainOption::Widths);
        o = {}; o.arch.blocksPerStage = 0; check("blocks 0", o, TrainOption::Blocks);
        o = {}; o.arch.dropout = 1; check("dropout 1", o, TrainOption::Dropout);
        o = {}; o.input.trainCropFrames = o.input.minFrames - 1; check("crop < min frames", o, TrainOption::Crop);
        o = {}; o.features.nMels = 0; check("features", o, TrainOption::Features);
        o = {}; o.wave.noiseProbability = 1.5; check("wave probability", o, TrainOption::WaveAugment);
        o = {}; o.weightAverageDecay = 1.0; check("weight average decay", o, TrainOption::WeightAverage);
        o = {}; o.mixupAlpha = -0.1; check("mixup alpha", o, TrainOption::Mixup);
        o = {}; o.speakerAdversaryWeight = -0.5; check("negative adversary weight", o, TrainOption::Adversary);
        o = {}; o.speakerAdversaryWeight = nan; check("NaN adversary weight", o, TrainOption::Adversary);
        o = {}; o.speakerAdversaryWeight = 0.3; o.mixupAlpha = 0.4; check("adversary with mixup", o, TrainOption::Adversary);
        o = {}; o.resume = true; check("resume without checkpoint", o, TrainOption::Checkpoint);
        o = {}; o.calibrateWorstCorpus = true; check("worst-corpus without calibration", o, TrainOption::Calibration);
        o = {}; o.calibrate = o.calibrateWorstCorpus = o.calibrateClassBias = true;
        check("worst-corpus with a bias", o, TrainOption::Calibration);
        // The bounds themselves are allowed.
        o = {}; o.epochs = emoscope::TrainLimits::maxEpochs; o.batchSize = emoscope::TrainLimits::maxBatchSize;
        o.maxLearningRate = emoscope::TrainLimits::maxLearningRate; o.threads = emoscope::maxUserThreads();
        QVERIFY(!refusal(o));
        // The message names the quantity and the value.
        o = {}; o.weightDecay = nan;
        try {
            o.validate();
            QFAIL("no refusal");
        } catch (const emoscope::TrainOptionsError& e) {
            QVERIFY2(QString(e.what()).startsWith("weight decay must be in"), e.what());
            QVERIFY2(QString(e.what()).contains("nan"), e.what());
        }
    }

    void fromScratchHasOneSpelling()
    {
        QVERIFY(!emoscope::parseStartFrom("scratch").has_value());
        QCOMPARE(emoscope::parseStartFrom("models/x.pt").value(), std::string("models/x.pt"));
        TrainOptions o;
        QVERIFY(o.fromScratch());
        QCOMPARE(o.startDescription(), std::string("scratch"));
        o.fromModel = std::string(); // "fine-tune" with no file is refused, never read as scratch
        QVERIFY(!o.fromScratch());
        QVERIFY(refusal(o) == TrainOption::FromModel);
        o.fromModel = "m.pt";
        QCOMPARE(o.startDescription(), std::string("m.pt"));
        // A fine-tune keeps the model's architecture: the scratch-only fields are not checked.
        o.arch.widths = {};
        QVERIFY(!refusal(o));
    }

    void trainerRefusesInvalidOptions()
    {
        emoscope::Dataset ds;
        emoscope::Split split;
        TrainOptions o;
        o.weightDecay = std::nan("");
        emoscope::Trainer trainer(ds, split, o);
        QVERIFY_THROWS_EXCEPTION(emoscope::TrainOptionsError, trainer.run());
    }
};

QTEST_GUILESS_MAIN(TestTrainOptions)
#include "test_train_options.moc"
