// SPDX-License-Identifier: GPL-3.0-or-later
// Speech trim (a model's input.trimToSpeech): the span of a made-up activity to the sample; silence added around a
// TESS clip is cut away to the same speech; non-speech is kept whole; the card stores the setting; a model with it
// reads only the speech span through every entry point; the training feature cache cuts clips the same way.
#include "ContainerEdit.h"
#include "TestData.h"
#include "audio/AudioDecoder.h"
#include "audio/SpeechTrim.h"
#include "audio/WavWriter.h"
#include "dsp/LogMelExtractor.h"
#include "infer/Classifier.h"
#include "model/ModelFile.h"
#include "train/FeatureCache.h"
#include <QTemporaryDir>
#include <QtTest>
#include <cstdlib>
#include <random>

using namespace emoscope;

namespace {
constexpr int kRate = 16000;
const char* kClip = "/OAF_angry/OAF_back_angry.flac";

std::vector<float> tessClip()
{
    DecodeOptions o;
    o.targetSampleRate = kRate;
    return loadAudio((testdata::tessDir() + kClip).toStdString(), o).samples;
}

// The clip with `before` and `after` seconds of faint white noise (-70 dBFS, seeded) around it.
std::vector<float> padded(const std::vector<float>& clip, double before, double after)
{
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, 3.16e-4f);
    std::vector<float> out;
    for (std::size_t i = 0; i < std::size_t(before * kRate); ++i) out.push_back(noise(rng));
    out.insert(out.end(), clip.begin(), clip.end());
    for (std::size_t i = 0; i < std::size_t(after * kRate); ++i) out.push_back(noise(rng));
    return out;
}
} // namespace

class TestSpeechTrim : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void spanOfAnActivity()
    {
        SpeechActivity a;
        a.frameIsSpeech = {0, 0, 1, 1, 0, 1, 0, 0, 0, 0}; // speech in frames 2..5 (20-60 ms), a pause kept inside
        SampleSpan s = speechSpan(a, 1600, kRate, 0.01);
        QCOMPARE(s.begin, std::size_t(160));  // 20 ms - 10 ms
        QCOMPARE(s.end, std::size_t(1120));   // 60 ms + 10 ms
        s = speechSpan(a, 1600, kRate, 0.0);
        QCOMPARE(s.begin, std::size_t(320));
        QCOMPARE(s.end, std::size_t(960));
        s = speechSpan(a, 1600, kRate, 1.0); // a margin beyond the clip stops at its ends
        QCOMPARE(s.begin, std::size_t(0));
        QCOMPARE(s.end, std::size_t(1600));
        a.frameIsSpeech.assign(10, 0); // no speech: everything is kept
        s = speechSpan(a, 1600, kRate, 0.2);
        QCOMPARE(s.begin, std::size_t(0));
        QCOMPARE(s.end, std::size_t(1600));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, speechSpan(a, 1600, 0, 0.2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, speechSpan(a, 1600, kRate, -0.1));
    }

    void addedSilenceIsCutToTheSameSpeech()
    {
        const std::vector<float> clip = tessClip();
        QVERIFY(clip.size() > std::size_t(kRate));
        const SampleSpan own = speechSpan(detectSpeech({clip, kRate}), clip.size(), kRate, 0.0);
        QVERIFY2(own.size() > std::size_t(kRate / 2), "the TESS clip has half a second of speech at least");
        const std::vector<float> longer = padded(clip, 1.0, 1.5);
        const SampleSpan cut = speechSpan(detectSpeech({longer, kRate}), longer.size(), kRate, 0.0);
        // The same speech, one second later: within two 10 ms frames at either end.
        const long long shift = kRate;
        QVERIFY2(std::llabs((long long)cut.begin - shift - (long long)own.begin) <= 320,
                 qPrintable(QString("begin %1 vs %2").arg(cut.begin).arg(own.begin + shift)));
        QVERIFY2(std::llabs((long long)cut.end - shift - (long long)own.end) <= 320,
                 qPrintable(QString("end %1 vs %2").arg(cut.end).arg(own.end + shift)));
        const std::vector<float> trimmed = trimToSpeech({longer, kRate}, 0.2);
        QCOMPARE(trimmed.size(), std::min(longer.size(), cut.end + 3200) - (cut.begin - 3200));
        QVERIFY(trimmed.size() + std::size_t(2 * kRate) < longer.size()); // most of the 2.5 s added is gone
    }

    void nonSpeechIsKeptWhole()
    {
        std::mt19937 rng(3);
        std::normal_distribution<float> noise(0.0f, 0.05f);
        std::vector<float> white(std::size_t(2 * kRate));
        for (float& v : white) v = noise(rng);
        QCOMPARE(trimToSpeech({white, kRate}, 0.2).size(), white.size());
        const std::vector<float> silence(std::size_t(kRate), 0.0f);
        QCOMPARE(trimToSpeech({silence, kRate}, 0.2).size(), silence.size());
    }

    void theCardStoresIt()
    {
        ModelCard card = readModelCard(testdata::bundledModel().toStdString());
        QVERIFY(!card.input.trimToSpeech || card.input.trimMarginSeconds >= 0); // whatever the shipped file says
        card.input.trimToSpeech = true;
        card.input.trimMarginSeconds = 0.35;
        const ModelCard back = ModelCard::fromJson(card.toJson());
        QVERIFY(back.input.trimToSpeech);
        QCOMPARE(back.input.trimMarginSeconds, 0.35);
        QVERIFY(QString::fromStdString(back.summary()).contains("speech span (350 ms margin)"));
        card.input.trimToSpeech = false; // older files have no field: the whole clip
        QVERIFY(!ModelCard::fromJson(card.toJson()).input.trimToSpeech);
        card.input.trimToSpeech = true;
        card.input.trimMarginSeconds = -1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, card.validate());
    }

    void aTrimmingModelReadsOnlyTheSpeech()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // The bundled network with input.trimToSpeech switched on in its card (sizes and checksum made anew).
        auto container = testdata::parseContainerBytes(testdata::readBytes(testdata::bundledModel()));
        QVERIFY(container.ok);
        ModelCard card = ModelCard::fromJson(container.json.toStdString());
        card.input.trimToSpeech = true;
        card.input.trimMarginSeconds = 0.2;
        container.json = QByteArray::fromStdString(card.toJson());
        const QString path = dir.filePath("trim.pt");
        QVERIFY(testdata::writeBytes(path, testdata::packContainerBytes(container)));
        const auto model = Classifier::load(path.toStdString());
        QVERIFY(model->card().input.trimToSpeech);

        const std::vector<float> longer = padded(tessClip(), 1.0, 1.5);
        const AudioBuffer audio{longer, kRate};
        // What the network must read: the log-mel of the speech span, nothing else.
        const std::vector<float> span = trimToSpeech(audio, 0.2);
        const LogMelExtractor extractor(model->featureConfig());
        const std::vector<float> expected = model->classifyLogMel(extractor.logMel(span.data(), span.size()));
        const std::vector<float> whole = model->classifyLogMel(extractor.logMel(longer.data(), longer.size()));
        const std::vector<float> viaClassify = model->classify(audio);
        const std::vector<float> viaJudge = model->judge(audio).probabilities;
        const QString wav = dir.filePath("padded.wav");
        writeWavAtomic(wav.toStdString(), longer.data(), longer.size(), kRate, true);
        const std::vector<float> viaFile = model->classifyFile(wav.toStdString());
        double differsFromWhole = 0;
        for (std::size_t k = 0; k < expected.size(); ++k) {
            QCOMPARE(viaClassify[k], expected[k]);
            QCOMPARE(viaJudge[k], expected[k]);
            QVERIFY(std::abs(viaFile[k] - expected[k]) < 1e-4f); // through a float WAV: the same samples
            differsFromWhole = std::max(differsFromWhole, double(std::abs(whole[k] - expected[k])));
        }
        QVERIFY2(differsFromWhole > 1e-4, "the padded clip read whole gives other numbers: the trim did something");
    }

    void theFeatureCacheCutsTheSameWay()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::vector<float> longer = padded(tessClip(), 1.0, 1.5);
        const std::string wav = dir.filePath("padded.wav").toStdString();
        writeWavAtomic(wav, longer.data(), longer.size(), kRate, true);
        const ModelCard card = readModelCard(testdata::bundledModel().toStdString());
        QCOMPARE(card.features.sampleRate, kRate);

        FeatureCache whole(card.features, {}, true);
        QVERIFY(whole.prepare({wav}, 1).failed.empty());
        QCOMPARE(whole.audio(wav).size(), longer.size());

        const std::string disk = dir.filePath("cache").toStdString();
        FeatureCache cut(card.features, disk, true, 0.2);
        QVERIFY(cut.prepare({wav}, 1).failed.empty());
        const std::vector<float> expected = trimToSpeech({longer, kRate}, 0.2);
        QCOMPARE(cut.audio(wav).size(), expected.size());
        QVERIFY(cut.audio(wav) == expected);
        QCOMPARE(cut.get(wav).frames, cut.features(expected).frames);
        QVERIFY(cut.diskPath(wav) != FeatureCache(card.features, disk, true).diskPath(wav)); // its own disk entries
        FeatureCache again(card.features, disk, true, 0.2); // from disk: the cut audio again
        QVERIFY(again.prepare({wav}, 1).failed.empty());
        QCOMPARE(again.diskHits(), 1);
        QVERIFY(again.audio(wav) == expected);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FeatureCache(card.features, {}, true, -0.5));
    }
};

QTEST_GUILESS_MAIN(TestSpeechTrim)
#include "test_speech_trim.moc"
