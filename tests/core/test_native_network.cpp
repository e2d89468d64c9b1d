// SPDX-License-Identifier: GPL-3.0-or-later
// The inference network (NativeResNet: batch norm folded into the convolutions, matrix products in BLAS) against
// libtorch's network, which trains the model: the same probabilities on real clips. libtorch's side is saliency's
// forward pass (explainLogMel runs libtorch's network on the input prepared as inference prepares it), so the
// reference is an independent implementation of the same function, not a second copy of this one.
#include "ModelTestSupport.h"
#include "audio/AudioDecoder.h"
#include "dsp/LogMelExtractor.h"
#include "infer/Classifier.h"
#include "net/Saliency.h"
#include "util/Argmax.h"
#include <QtTest>
#include <algorithm>
#include <cmath>

using namespace emoscope;

namespace {

// Largest |difference| between the two networks' probabilities over the inputs; fails on a different top label
// unless the top two probabilities are too close to order.
double compareNetworks(const Classifier& model, const std::vector<MelMatrix>& inputs, QString* problem)
{
    double worst = 0;
    SaliencyOptions whole;
    whole.maxSegmentFrames = 1 << 20; // one pass over the whole input, exactly inference's
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const std::vector<float> native = model.classifyLogMel(inputs[i]);
        const std::vector<float> torch = explainLogMel(model, inputs[i], whole).probabilities;
        if (native.size() != torch.size()) {
            *problem = QStringLiteral("input %1: %2 vs %3 labels").arg(i).arg(native.size()).arg(torch.size());
            return 1;
        }
        for (std::size_t k = 0; k < native.size(); ++k) worst = std::max(worst, double(std::abs(native[k] - torch[k])));
        std::vector<float> sorted = torch;
        std::sort(sorted.rbegin(), sorted.rend());
        if (argmax(native) != argmax(torch) && sorted[0] - sorted[1] > 1e-4f)
            *problem = QStringLiteral("input %1 (%2 frames): top label %3 vs %4")
                           .arg(i).arg(inputs[i].frames).arg(argmax(native)).arg(argmax(torch));
    }
    return worst;
}

MelMatrix logMelOfFile(const Classifier& model, const std::string& path)
{
    DecodeOptions o;
    o.targetSampleRate = model.featureConfig().sampleRate;
    const AudioBuffer a = loadAudio(path, o);
    return LogMelExtractor(model.featureConfig()).logMel(a.samples.data(), a.samples.size());
}

} // namespace

class TestNativeNetwork : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void shippedModelOnRealClips()
    {
        setComputeThreads(2);
        const auto model = Classifier::load(testdata::bundledModel().toStdString());
        std::vector<MelMatrix> inputs;
        // TESS's test part, 3 clips of each label, both speakers.
        const Dataset tess = testdata::tessSubset(3, "test");
        QCOMPARE(int(tess.clips.size()), 21);
        for (const auto& c : tess.clips) inputs.push_back(logMelOfFile(*model, c.path));
        // RAVDESS: every 30th clip (other voices, another corpus, 48 kHz resampled).
        emoscope::ScanOptions scan;
        scan.probeFiles = false;
        const Dataset ravdess = scanDataset(testdata::ravdessDir().toStdString(), scan);
        QVERIFY(ravdess.clips.size() >= 600);
        for (std::size_t i = 0; i < ravdess.clips.size(); i += 30) inputs.push_back(logMelOfFile(*model, ravdess.clips[i].path));
        // Lengths inference meets besides whole clips: shorter than the padding (2 frames) and one odd width, and a
        // long input (about 40 s: the clips joined), whose pooled statistics sum thousands of frames.
        inputs.push_back(inputs.front().sliceFrames(0, 2));
        inputs.push_back(inputs.front().sliceFrames(0, 37));
        MelMatrix joined = inputs.front();
        for (std::size_t i = 1; i < 21; ++i) joined.appendFrames(inputs[i]);
        QVERIFY(joined.frames > 1500);
        inputs.push_back(joined);
        QString problem;
        const double worst = compareNetworks(*model, inputs, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        qInfo("shipped model: %zu inputs, largest probability difference %.2g", inputs.size(), worst);
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
    }

    void otherArchitectures_data()
    {
        QTest::addColumn<int>("pooling");
        QTest::addColumn<int>("blocks");
        QTest::addColumn<int>("stemStride");
        QTest::newRow("mean, 1 block, stride 2") << int(Pooling::Mean) << 1 << 2;
        QTest::newRow("statistics pooling") << int(Pooling::MeanStd) << 1 << 2;
        QTest::newRow("2 blocks per stage, stem stride 1") << int(Pooling::Mean) << 2 << 1;
        QTest::newRow("stem stride 3") << int(Pooling::MeanStd) << 1 << 3;
    }

    void otherArchitectures()
    {
        QFETCH(int, pooling);
        QFETCH(int, blocks);
        QFETCH(int, stemStride);
        setComputeThreads(2);
        const Dataset data = testdata::tessSubset(4);
        TrainOptions o = testdata::tinyOptions(1);
        o.arch.pooling = Pooling(pooling);
        o.arch.blocksPerStage = blocks;
        o.arch.stemStride = stemStride;
        Trainer t(data, testdata::allTrain(data), o);
        QVERIFY(!t.run().cancelled);
        const auto model = t.classifier(); // NativeResNet over the trained weights (batch norm statistics included)
        std::vector<MelMatrix> inputs;
        for (std::size_t i = 0; i < data.clips.size(); i += 3) inputs.push_back(logMelOfFile(*model, data.clips[i].path));
        QString problem;
        const double worst = compareNetworks(*model, inputs, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
    }
};

QTEST_GUILESS_MAIN(TestNativeNetwork)
#include "test_native_network.moc"
