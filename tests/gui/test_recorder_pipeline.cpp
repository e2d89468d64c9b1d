// SPDX-License-Identifier: GPL-3.0-or-later
// The recorder pipeline (capture sink -> ring -> worker thread with StreamingLogMel) fed with known PCM in odd
// chunk sizes gives exactly the take it was given and the same mel columns as the offline
// LogMelExtractor::melPower on those samples; other device formats (Int16 stereo, 48 kHz) are converted.
#include "PushedPcm.h"
#include "TestData.h"

#include "audio/AudioDecoder.h"
#include "dsp/FeatureConfig.h"
#include "dsp/LogMelExtractor.h"
#include "engine/CurrentModel.h"
#include "engine/Recorder.h"
#include "audio/SampleRing.h"
#include "audio/StreamingResampler.h"

#include <QAudioFormat>
#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <random>

namespace {
std::vector<float> tessClip()
{
    const QString clip = testdata::tessDir() + QStringLiteral("/OAF_angry/OAF_back_angry.flac");
    return emoscope::loadAudio(QFile::encodeName(clip).toStdString(), {}).samples; // 22,050 Hz, the feature rate
}

// Writes bytes in irregular chunks (some splitting a frame) with the event loop running in between, like a device.
void feed(QIODevice* device, const QByteArray& bytes)
{
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> size(1, 6000);
    qsizetype at = 0;
    int chunks = 0;
    while (at < bytes.size()) {
        const qsizetype n = std::min<qsizetype>(size(rng), bytes.size() - at);
        QCOMPARE(device->write(bytes.constData() + at, n), qint64(n));
        at += n;
        if (++chunks % 8 == 0)
            QCoreApplication::processEvents();
    }
}
// Mono float PCM at the feature rate: what the model's features are computed at, so no resampling is involved.
QAudioFormat featureRateFloat()
{
    return testdata::monoFloatFormat(emoscope::FeatureConfig{}.sampleRate);
}
} // namespace

class TestRecorderPipeline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void floatMonoAtFeatureRateMatchesOfflineMel()
    {
        const std::vector<float> samples = tessClip();
        QVERIFY(samples.size() > 10000);
        CurrentModel model; // none loaded: the pipeline uses the default feature settings
        Recorder recorder(&model);
        QSignalSpy finished(&recorder, &Recorder::takeFinished);
        QSignalSpy live(&recorder, &Recorder::liveUpdated);

        const QAudioFormat format = featureRateFloat();
        QIODevice* sink = recorder.startPushed(format);
        QVERIFY(sink && sink->isWritable());
        QVERIFY(recorder.isRecording());
        feed(sink, testdata::floatBytes(samples));
        QTest::qWait(100); // let a frame or two be drawn
        recorder.stop();
        QVERIFY(finished.wait(10000));
        const auto take = recorder.lastTake();
        QVERIFY(take);
        QCOMPARE(take->droppedSamples, std::uint64_t(0));
        QCOMPARE(take->audio.sampleRate, format.sampleRate());
        QVERIFY(take->audio.samples == samples);

        const emoscope::LogMelExtractor offline(take->features);
        const emoscope::MelMatrix expected = offline.melPower(samples.data(), samples.size());
        QCOMPARE(take->melPower.nMels, expected.nMels);
        QCOMPARE(take->melPower.frames, expected.frames);
        double worst = 0;
        float peak = *std::max_element(expected.data.begin(), expected.data.end());
        for (std::size_t i = 0; i < expected.data.size(); ++i)
            worst = std::max(worst, double(std::abs(take->melPower.data[i] - expected.data[i])));
        QVERIFY2(worst <= 1e-5 * double(peak), qPrintable(QStringLiteral("max |diff| %1, peak %2").arg(worst).arg(peak)));

        // The live view got frames with the expected geometry.
        QVERIFY(live.count() > 0);
        const auto snapshot = live.last().at(0).value<LiveSnapshot>();
        QCOMPARE(snapshot.db.nMels, expected.nMels);
        QCOMPARE(snapshot.sampleRate, format.sampleRate());
        QVERIFY(snapshot.db.frames > 0);
    }

    // A muted input gives digital silence: the live spectrogram must draw it at its floor (black), not stretch its
    // 80 dB range down to the silence and draw it in the brightest colour. Speech afterwards lifts the ceiling again.
    void silenceDrawsAtTheFloor()
    {
        CurrentModel model;
        Recorder recorder(&model);
        QSignalSpy live(&recorder, &Recorder::liveUpdated);
        const QAudioFormat format = featureRateFloat();
        QIODevice* sink = recorder.startPushed(format);
        QVERIFY(sink);
        const std::vector<float> silence(std::size_t(3 * format.sampleRate()), 0.0f);
        feed(sink, testdata::floatBytes(silence));
        QTRY_VERIFY_WITH_TIMEOUT(live.count() > 0, 10000);
        QTest::qWait(200);
        const auto quiet = live.last().at(0).value<LiveSnapshot>();
        QVERIFY(quiet.db.frames > 0);
        const float loudest = *std::max_element(quiet.db.data.begin(), quiet.db.data.end());
        QVERIFY2(loudest <= quiet.ceilDb - 80.0, qPrintable(QStringLiteral("silence at %1 dB, range %2..%3")
                                                                 .arg(loudest).arg(quiet.ceilDb - 80.0).arg(quiet.ceilDb)));

        const std::vector<float> speech = tessClip();
        feed(sink, testdata::floatBytes(speech));
        QTRY_VERIFY_WITH_TIMEOUT(live.last().at(0).value<LiveSnapshot>().ceilDb > quiet.ceilDb + 20.0, 10000);
        recorder.stop();
    }

    void int16StereoAt48kIsConvertedAndResampled()
    {
        const std::vector<float> mono = tessClip();
        // A 48 kHz stereo device: left = signal, right = the same signal (so the mono mix equals it).
        std::vector<float> at48;
        {
            const double ratio = 48000.0 / 22050.0;
            at48.resize(std::size_t(double(mono.size()) * ratio));
            for (std::size_t i = 0; i < at48.size(); ++i) { // linear interpolation is enough to make a test signal
                const double t = double(i) / ratio;
                const std::size_t k = std::min(std::size_t(t), mono.size() - 2);
                const double f = t - double(k);
                at48[i] = float((1 - f) * mono[k] + f * mono[k + 1]);
            }
        }
        QByteArray pcm(qsizetype(at48.size() * 4), Qt::Uninitialized);
        auto* out = reinterpret_cast<qint16*>(pcm.data());
        for (std::size_t i = 0; i < at48.size(); ++i)
            out[2 * i] = out[2 * i + 1] = qint16(std::lround(std::clamp(at48[i], -1.0f, 1.0f) * 32767.0f));

        CurrentModel model;
        Recorder recorder(&model);
        QSignalSpy finished(&recorder, &Recorder::takeFinished);
        QAudioFormat format;
        format.setSampleRate(48000);
        format.setChannelCount(2);
        format.setSampleFormat(QAudioFormat::Int16);
        feed(recorder.startPushed(format), pcm);
        recorder.stop();
        QVERIFY(finished.wait(10000));
        const auto take = recorder.lastTake();
        QCOMPARE(take->audio.sampleRate, 48000);
        QCOMPARE(take->audio.samples.size(), at48.size());
        double worst = 0;
        for (std::size_t i = 0; i < at48.size(); ++i)
            worst = std::max(worst, double(std::abs(take->audio.samples[i] - at48[i])));
        QVERIFY2(worst < 1.0 / 16000, qPrintable(QString::number(worst))); // 16-bit quantisation only
        // Features at the feature rate: about as many columns as the offline transform of the 22,050 Hz signal.
        const long long expectedFrames = take->features.framesFor((long long)mono.size());
        QVERIFY2(std::abs(take->melPower.frames - expectedFrames) <= 2,
                 qPrintable(QStringLiteral("%1 vs %2").arg(take->melPower.frames).arg(expectedFrames)));
        // And the spectrum is the same speech: column energies correlate strongly with the offline ones.
        const emoscope::LogMelExtractor offline(take->features);
        const emoscope::MelMatrix ref = offline.melPower(mono.data(), mono.size());
        const int frames = std::min(ref.frames, take->melPower.frames);
        double sxy = 0, sxx = 0, syy = 0, mx = 0, my = 0;
        std::vector<double> xs, ys;
        for (int f = 0; f < frames; ++f) {
            double x = 0, y = 0;
            for (int m = 0; m < ref.nMels; ++m) {
                x += ref.at(m, f);
                y += take->melPower.at(m, f);
            }
            xs.push_back(std::log10(x + 1e-10));
            ys.push_back(std::log10(y + 1e-10));
            mx += xs.back();
            my += ys.back();
        }
        mx /= frames;
        my /= frames;
        for (int f = 0; f < frames; ++f) {
            sxy += (xs[f] - mx) * (ys[f] - my);
            sxx += (xs[f] - mx) * (xs[f] - mx);
            syy += (ys[f] - my) * (ys[f] - my);
        }
        const double r = sxy / std::sqrt(sxx * syy);
        QVERIFY2(r > 0.98, qPrintable(QString::number(r)));
    }

    void ringDropsNewSamplesWhenFullInsteadOfBlocking()
    {
        emoscope::SampleRing ring(8);
        const std::vector<float> in{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        QCOMPARE(ring.write(in.data(), 5), std::size_t(5));
        std::vector<float> out(4);
        QCOMPARE(ring.read(out.data(), 3), std::size_t(3));
        QCOMPARE(out[2], 3.0f);
        // 2 held + 10 offered, room for 6: the rest is dropped and counted.
        QCOMPARE(ring.write(in.data(), 10), std::size_t(6));
        QCOMPARE(ring.dropped(), std::uint64_t(4));
        std::vector<float> all(16);
        QCOMPARE(ring.read(all.data(), all.size()), std::size_t(8));
        QCOMPARE(std::vector<float>(all.begin(), all.begin() + 8), (std::vector<float>{4, 5, 1, 2, 3, 4, 5, 6}));
        QCOMPARE(ring.available(), std::size_t(0));
    }

    void resamplerOutputDoesNotDependOnChunking()
    {
        std::vector<float> in(20000);
        for (std::size_t i = 0; i < in.size(); ++i)
            in[i] = float(std::sin(0.01 * double(i)) + 0.3 * std::sin(0.37 * double(i)));
        emoscope::StreamingResampler whole(48000, 22050), chunked(48000, 22050);
        std::vector<float> a, b;
        whole.process(in.data(), in.size(), a);
        std::mt19937 rng(3);
        std::uniform_int_distribution<int> size(1, 700);
        for (std::size_t at = 0; at < in.size();) {
            const std::size_t n = std::min<std::size_t>(std::size_t(size(rng)), in.size() - at);
            chunked.process(in.data() + at, n, b);
            at += n;
        }
        QCOMPARE(a.size(), b.size());
        QVERIFY(std::abs(double(a.size()) - in.size() * 22050.0 / 48000.0) < 40);
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY(std::abs(a[i] - b[i]) < 1e-6f);
        // A low tone passes at about unit gain.
        double inPeak = 0, outPeak = 0;
        std::vector<float> tone(48000), toneOut;
        for (std::size_t i = 0; i < tone.size(); ++i)
            tone[i] = float(0.5 * std::sin(2 * 3.141592653589793 * 300.0 * double(i) / 48000.0));
        emoscope::StreamingResampler r(48000, 22050);
        r.process(tone.data(), tone.size(), toneOut);
        for (std::size_t i = 2000; i < toneOut.size() - 2000; ++i)
            outPeak = std::max(outPeak, double(std::abs(toneOut[i])));
        inPeak = 0.5;
        QVERIFY2(std::abs(outPeak / inPeak - 1.0) < 0.02, qPrintable(QString::number(outPeak)));
    }

    void secondTakeStartsClean()
    {
        CurrentModel model;
        Recorder recorder(&model);
        QSignalSpy finished(&recorder, &Recorder::takeFinished);
        const QAudioFormat format = testdata::monoFloatFormat(22050);
        const std::vector<float> first(22050, 0.25f), second(11025, -0.5f);
        feed(recorder.startPushed(format), testdata::floatBytes(first));
        recorder.stop();
        feed(recorder.startPushed(format), testdata::floatBytes(second));
        recorder.stop();
        // The first take was superseded before its analysis finished; only the second one is reported.
        QTRY_VERIFY_WITH_TIMEOUT(recorder.lastTake() && recorder.lastTake()->audio.samples == second, 10000);
    }
};

QTEST_MAIN(TestRecorderPipeline)
#include "test_recorder_pipeline.moc"
