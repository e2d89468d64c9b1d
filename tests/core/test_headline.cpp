// SPDX-License-Identifier: GPL-3.0-or-later
// The headline of a whole recording (issue 10 item 2, infer/Headline.h) on real speech: a generated 70 s file of TESS
// clips in seven 10 s blocks, one emotion each (clips joined with short silences), is "mixed" with seven segments in
// the blocks' order and at their times; a 70 s file of one emotion is that emotion; a single clip keeps the verdict
// as it was; `emoscope-cli classify --json` reports the same headline. The clips are TESS test-split clips the
// model gets right on their own, so a wrong segment means the rule, not the model, failed.
#include "CliRun.h"
#include "TestData.h"
#include "audio/AudioDecoder.h"
#include "audio/WavWriter.h"
#include "infer/Classifier.h"
#include "infer/Headline.h"
#include "train/Dataset.h"
#include "util/Argmax.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace emoscope;

namespace {
constexpr int kRate = 22050;
constexpr double kBlockSeconds = 10.0;
constexpr double kGapSeconds = 0.3;

std::string core(const QString& path) { return QFile::encodeName(path).toStdString(); }
} // namespace

class TestHeadline : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::shared_ptr<const Classifier> model_;
    std::map<std::string, std::vector<std::vector<float>>> clips_; // label -> clips the model names correctly

    // 10 s of one emotion: its clips in turn, a short silence after each, cut or padded to the block.
    std::vector<float> block(const std::string& label) const
    {
        std::vector<float> out;
        const auto& clips = clips_.at(label);
        const std::size_t length = std::size_t(kBlockSeconds * kRate);
        for (std::size_t k = 0; out.size() < length; ++k) {
            const auto& c = clips[k % clips.size()];
            out.insert(out.end(), c.begin(), c.end());
            out.resize(out.size() + std::size_t(kGapSeconds * kRate), 0.0f);
        }
        out.resize(length, 0.0f);
        return out;
    }

    QString writeBlocks(const QString& name, const std::vector<std::string>& labels) const
    {
        std::vector<float> samples;
        for (const auto& l : labels) {
            const auto b = block(l);
            samples.insert(samples.end(), b.begin(), b.end());
        }
        const QString path = dir_.filePath(name);
        writeWavAtomic(core(path), samples.data(), samples.size(), kRate);
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        model_ = Classifier::load(core(testdata::bundledModel()));
        ScanOptions scan;
        scan.probeFiles = false;
        const Dataset tess = scanDataset(core(testdata::tessDir()), scan);
        DecodeOptions decode;
        decode.targetSampleRate = kRate;
        for (const Clip& c : tess.clips) {
            if (c.fixedSplit != "test" || clips_[c.label].size() >= 4)
                continue;
            AudioBuffer audio = loadAudio(c.path, decode);
            const Verdict v = model_->judge(audio);
            if (v.status == VerdictStatus::Ok && model_->labels()[std::size_t(argmax(v.probabilities))] == c.label)
                clips_[c.label].push_back(std::move(audio.samples));
        }
        for (const auto& label : model_->labels())
            QVERIFY2(clips_[label].size() >= 2, label.c_str());
    }

    void sevenEmotionsAreMixedWithTheirSegments()
    {
        const std::vector<std::string>& labels = model_->labels();
        const QString file = writeBlocks(QStringLiteral("seven.wav"), labels);
        const TimelineSummary s = model_->timelineFile(core(file));
        const Headline h = headlineFor(s.verdict, s.windows);
        const std::string text = describeHeadline(h, s.verdict, labels);
        QCOMPARE(int(h.kind), int(Headline::Kind::Mixed));
        QCOMPARE(int(h.segments.size()), int(labels.size()));
        for (std::size_t k = 0; k < labels.size(); ++k) {
            const HeadlineSegment& seg = h.segments[k];
            QCOMPARE(labels[std::size_t(seg.label)], labels[k]);
            // A segment runs from its first to its last speech slice: within 2 s (under one window) of the block.
            QVERIFY2(std::abs(seg.startSeconds - kBlockSeconds * double(k)) <= 2.0, text.c_str());
            QVERIFY2(std::abs(seg.endSeconds - kBlockSeconds * double(k + 1)) <= 2.0, text.c_str());
            QVERIFY(seg.speechSeconds > Headline::kMinSegmentSeconds);
        }
        QVERIFY(text.rfind("mixed: " + labels[0] + " ", 0) == 0);

        // The CLI says the same.
        const testdata::CliRun run = testdata::runCli({QStringLiteral("classify"), QStringLiteral("--json"),
                                                       QStringLiteral("--model"), testdata::bundledModel(), file});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject head = QJsonDocument::fromJson(run.out.trimmed()).object().value("headline").toObject();
        QCOMPARE(head.value("kind").toString(), QStringLiteral("mixed"));
        QCOMPARE(head.value("text").toString(), QString::fromStdString(text));
        const QJsonArray segments = head.value("segments").toArray();
        QCOMPARE(int(segments.size()), int(h.segments.size()));
        for (int k = 0; k < segments.size(); ++k)
            QCOMPARE(segments[k].toObject().value("emotion").toString(),
                     QString::fromStdString(labels[std::size_t(h.segments[std::size_t(k)].label)]));
    }

    void oneEmotionIsThatEmotion()
    {
        for (const std::string label : {"angry", "sad"}) {
            const QString file = writeBlocks(QString::fromStdString(label) + ".wav", std::vector<std::string>(7, label));
            const TimelineSummary s = model_->timelineFile(core(file));
            const Headline h = headlineFor(s.verdict, s.windows);
            const std::string text = describeHeadline(h, s.verdict, model_->labels());
            QVERIFY2(h.kind == Headline::Kind::Single, text.c_str());
            QCOMPARE(model_->labels()[std::size_t(h.label)], label);
            QVERIFY(h.share >= Headline::kAgreeShare);
            QVERIFY2(text.rfind(label, 0) == 0, text.c_str());
        }
    }

    void aClipKeepsItsVerdict()
    {
        const std::string clip = clips_.begin()->first;
        const AudioBuffer audio{clips_.begin()->second.front(), kRate};
        const Verdict v = model_->judge(audio);
        const auto windows = model_->timeline(audio); // a TESS clip is one window
        const Headline h = headlineFor(v, windows);
        QCOMPARE(int(h.kind), int(Headline::Kind::Clip));
        QCOMPARE(describeHeadline(h, v, model_->labels()), describeVerdict(v.status, v.probabilities, model_->labels()));
    }

    void silenceIsNoSpeech()
    {
        const std::vector<float> silence(std::size_t(20 * kRate), 0.0f);
        const AudioBuffer audio{silence, kRate};
        SpeechActivity speech;
        const auto windows = model_->timeline(audio, {}, &speech);
        const Verdict v = summarizeTimeline(windows, speech, model_->card().calibration);
        QCOMPARE(int(headlineFor(v, windows).kind), int(Headline::Kind::NoSpeech));
    }

    // A single odd window between agreeing ones is a flicker, not a segment of its own.
    void aFlickerJoinsItsNeighbours()
    {
        std::vector<TimelineWindow> windows;
        for (int i = 0; i < 40; ++i) {
            TimelineWindow w;
            w.startSeconds = 0.5 * i;
            w.endSeconds = w.startSeconds + 2.5;
            w.probabilities = {0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};
            w.probabilities[i == 20 ? 6 : 0] = 0.4f;
            w.speechSeconds = 2.0;
            windows.push_back(w);
        }
        Verdict v;
        v.status = VerdictStatus::Ok;
        v.probabilities = windows.front().probabilities;
        const Headline h = headlineFor(v, windows);
        QCOMPARE(int(h.kind), int(Headline::Kind::Single));
        QCOMPARE(h.label, 0);
        QCOMPARE(int(h.segments.size()), 1);
        QCOMPARE(h.share, 1.0);
    }
};

QTEST_APPLESS_MAIN(TestHeadline)
#include "test_headline.moc"
