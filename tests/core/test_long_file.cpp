// SPDX-License-Identifier: GPL-3.0-or-later
// Hours-long files in bounded memory (issue 9): the block resampler equals resample() of the whole signal; the
// streaming voice activity equals detectSpeech; timelineFile gives the windows of timeline(loadAudio(...)); a long
// file's classify is the summary of its speech windows; cancelling stops early; and `emoscope-cli timeline --csv` on
// a generated 2-hour WAV (TESS clips tiled with silence, ~230 MB, in a temporary folder) peaks at most at 400 MB RSS.
#include "CliRun.h"
#include "LongWavFixture.h"
#include "Sanitizers.h"
#include "TestData.h"
#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"
#include "audio/BlockResampler.h"
#include "audio/Resampler.h"
#include "audio/SpeechDetector.h"
#include "audio/VoiceActivity.h"
#include "infer/Classifier.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <random>
#include <sys/resource.h>

using namespace emoscope;

namespace {
std::vector<std::string> tessClips()
{
    std::vector<std::string> out;
    for (const char* c : {"OAF_angry/OAF_back_angry.flac", "YAF_happy/YAF_back_happy.flac", "OAF_sad/OAF_back_sad.flac",
                          "YAF_fear/YAF_back_fear.flac"})
        out.push_back(QFile::encodeName(testdata::tessDir() + "/" + c).toStdString());
    return out;
}
} // namespace

class TestLongFile : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::shared_ptr<const Classifier> model_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        model_ = Classifier::load(QFile::encodeName(testdata::bundledModel()).toStdString());
    }

    void blockResamplerEqualsWholeResample_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to");
        QTest::newRow("44100->16000") << 44100 << 16000;
        QTest::newRow("24414->16000") << 24414 << 16000;
        QTest::newRow("8000->16000") << 8000 << 16000;
        QTest::newRow("48000->22050") << 48000 << 22050;
    }
    void blockResamplerEqualsWholeResample()
    {
        QFETCH(int, from);
        QFETCH(int, to);
        std::mt19937 rng(7);
        std::normal_distribution<float> noise(0.0f, 0.2f);
        std::vector<float> x(std::size_t(from) * 30 + 123);
        for (float& v : x) v = noise(rng);
        const std::vector<float> whole = resample(x.data(), x.size(), from, to);
        BlockResampler r(from, to);
        std::vector<float> streamed;
        std::uniform_int_distribution<std::size_t> size(1, 70000);
        for (std::size_t i = 0; i < x.size();) {
            const std::size_t n = std::min(size(rng), x.size() - i);
            r.push(x.data() + i, n, streamed);
            i += n;
        }
        r.finish(streamed);
        QCOMPARE(streamed.size(), whole.size());
        float worst = 0;
        for (std::size_t i = 0; i < whole.size(); ++i) worst = std::max(worst, std::abs(streamed[i] - whole[i]));
        QVERIFY2(worst < 1e-4f, qPrintable(QString::number(worst))); // float rounding of the FFT blocks only
    }

    void streamingVoiceActivityEqualsWhole()
    {
        AudioBuffer a{{}, 16000};
        for (const std::string& c : tessClips()) {
            const AudioBuffer clip = loadAudio(c, DecodeOptions{16000, 600, 0});
            a.samples.insert(a.samples.end(), clip.samples.begin(), clip.samples.end());
            a.samples.insert(a.samples.end(), 16000, 0.0f);
        }
        const SpeechActivity whole = detectSpeech(a);
        QVERIFY(whole.speechSeconds > 2.0);
        SpeechDetector d(16000);
        std::size_t released = 0;
        for (std::size_t i = 0; i < a.samples.size(); i += 777) {
            d.push(a.samples.data() + i, std::min<std::size_t>(777, a.samples.size() - i));
            QVERIFY(d.finalFrames() >= released); // final frames only ever grow
            for (std::size_t f = released; f < d.finalFrames(); ++f) QCOMPARE(d.activity().frameIsSpeech[f], whole.frameIsSpeech[f]);
            released = d.finalFrames();
        }
        const SpeechActivity& s = d.finish();
        QVERIFY(s.frameIsSpeech == whole.frameIsSpeech);
        QVERIFY(s.frameWebrtc == whole.frameWebrtc);
        QCOMPARE(s.speechSeconds, whole.speechSeconds);
        QVERIFY(released < s.frameIsSpeech.size()); // some decisions came out before the end
    }

    void timelineFileEqualsInMemoryTimeline()
    {
        // 22,050 Hz: the samples go through the block resampler to the model's 16 kHz.
        const QString path = dir_.filePath("three_minutes.wav");
        fixtures::writeLongSpeechWav(QFile::encodeName(path).toStdString(), 180.0, tessClips(), 22050);
        const std::string p = QFile::encodeName(path).toStdString();
        SpeechActivity speech;
        const auto expected = model_->timeline(loadAudio(p, DecodeOptions{0, 0, 0}), {}, &speech);
        std::size_t calls = 0;
        TimelineStreamCallbacks hooks;
        hooks.windows = [&](const std::vector<TimelineWindow>&) { ++calls; };
        const TimelineSummary s = model_->timelineFile(p, {}, DecodeOptions{0, 0, 0}, hooks);
        QVERIFY(!s.cancelled);
        QCOMPARE(s.windows.size(), expected.size());
        QVERIFY(calls > 1); // released as they became final, not all at the end
        int statusDiffers = 0;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(s.windows[i].startSeconds, expected[i].startSeconds);
            QCOMPARE(s.windows[i].endSeconds, expected[i].endSeconds);
            for (std::size_t k = 0; k < expected[i].probabilities.size(); ++k)
                QVERIFY(std::abs(s.windows[i].probabilities[k] - expected[i].probabilities[k]) < 2e-3f);
            statusDiffers += s.windows[i].status != expected[i].status;
        }
        QVERIFY(statusDiffers <= int(expected.size()) / 100); // resampling rounding may move a borderline frame
        QVERIFY(std::abs(s.speech.speechSeconds - speech.speechSeconds) < 0.5);
        QVERIFY(std::abs(s.durationSeconds - 180.0) < 1e-3);
    }

    void longFileClassifiesAsItsSpeech()
    {
        const QString path = dir_.filePath("two_minutes.wav");
        fixtures::writeLongSpeechWav(QFile::encodeName(path).toStdString(), 120.0, tessClips());
        const std::string p = QFile::encodeName(path).toStdString();
        // Over 10 minutes was refused; over kLongFileSeconds it is the summary of the speech windows.
        const Verdict v = model_->judgeFile(p, DecodeOptions{0, 0, 0});
        const TimelineSummary s = model_->timelineFile(p);
        const Verdict expected = summarizeTimeline(s.windows, s.speech, model_->card().calibration);
        QCOMPARE(v.probabilities, expected.probabilities);
        QVERIFY(v.status != VerdictStatus::NoSpeech);
        // Independent check of the summary: the speech-weighted mean of the speech windows.
        std::vector<double> mean(model_->labels().size(), 0.0);
        double weight = 0;
        for (const auto& w : s.windows)
            if (w.status != VerdictStatus::NoSpeech) {
                for (std::size_t k = 0; k < mean.size(); ++k) mean[k] += w.speechSeconds * w.probabilities[k];
                weight += w.speechSeconds;
            }
        QVERIFY(weight > 10);
        for (std::size_t k = 0; k < mean.size(); ++k) QVERIFY(std::abs(mean[k] / weight - v.probabilities[k]) < 1e-5);
        // The configurable cap still refuses, with the limit in the message.
        try {
            model_->judgeFile(p, DecodeOptions{0, 60, 0});
            QFAIL("no limit");
        } catch (const AudioError& e) {
            QCOMPARE(e.kind(), AudioErrorKind::TooLong);
            QVERIFY2(QString(e.what()).contains("limit 60.0 s"), e.what());
        }
    }

    void cancelStopsEarly()
    {
        const QString path = dir_.filePath("two_minutes.wav");
        std::atomic<bool> cancel{false};
        TimelineStreamCallbacks hooks;
        hooks.windows = [&](const std::vector<TimelineWindow>&) { cancel = true; };
        const TimelineSummary s = model_->timelineFile(QFile::encodeName(path).toStdString(), {}, {}, hooks, &cancel);
        QVERIFY(s.cancelled);
        QVERIFY(s.durationSeconds < 60.0);
        QVERIFY(!s.windows.empty());
    }

    void twoHourTimelineInBoundedMemory()
    {
        const QString path = dir_.filePath("two_hours.wav");
        fixtures::writeLongSpeechWav(QFile::encodeName(path).toStdString(), 7200.0, tessClips());
        const testdata::CliRun r =
            testdata::runCli({"timeline", path, "--model", testdata::bundledModel(), "--csv"}, 1800000);
        QFile::remove(path);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // Regular windows 2.5 s every 0.5 s: (7200 - 2.5) / 0.5 + 1, the last one flush with the end.
        QCOMPARE(r.out.count('\n'), 1 + 14396);
        rusage usage{};
        QCOMPARE(getrusage(RUSAGE_CHILDREN, &usage), 0);
        const double peakMb = double(usage.ru_maxrss) / 1024.0; // the largest child so far: this CLI run
        qInfo("emoscope-cli timeline on 2 h: peak RSS %.0f MB", peakMb);
        if (!testdata::kAddressSanitizer)
            QVERIFY2(peakMb <= 400.0, qPrintable(QString::number(peakMb)));
    }
};

QTEST_GUILESS_MAIN(TestLongFile)
#include "test_long_file.moc"
