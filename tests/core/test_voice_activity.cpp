// SPDX-License-Identifier: GPL-3.0-or-later
// Voice activity: generated non-speech (silence, quiet pink noise, hum, a 50 ms tone, loud white/pink noise, sweeps,
// a steady tone) stays under the card's no-speech limits; TESS speech clips pass them; on top of the WebRTC VAD,
// periodicity is what rejects noise and spectral flatness what rejects tones; errors and concurrent calls.
#include "AudioFixtures.h"
#include "TestData.h"
#include "audio/AudioDecoder.h"
#include "audio/VoiceActivity.h"
#include "infer/Verdict.h"
#include <QtTest>
#include <future>

using namespace emoscope;

namespace {
bool looksLikeSpeech(double seconds, double fraction)
{
    return verdictFor({1.0f}, seconds, fraction, Calibration{}) != VerdictStatus::NoSpeech;
}
AudioBuffer buffer(const std::vector<float>& samples) { return {samples, fixtures::kRate}; }
} // namespace

class TestVoiceActivity : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nonSpeechFixturesAreNotSpeech_data()
    {
        QTest::addColumn<int>("index");
        const auto all = fixtures::nonSpeech();
        for (int i = 0; i < int(all.size()); ++i) QTest::newRow(all[std::size_t(i)].name.c_str()) << i;
    }
    void nonSpeechFixturesAreNotSpeech()
    {
        QFETCH(int, index);
        const auto f = fixtures::nonSpeech()[std::size_t(index)];
        const SpeechActivity a = detectSpeech(buffer(f.samples));
        // One decision per whole 10 ms frame (rounding of the resampled length may add one).
        QVERIFY(std::abs(int(a.frameIsSpeech.size()) - int(f.samples.size() * 100 / fixtures::kRate)) <= 1);
        QVERIFY2(!looksLikeSpeech(a.speechSeconds, a.fraction),
                 qPrintable(QString("%1: %2 s of speech (%3)").arg(f.name.c_str()).arg(a.speechSeconds).arg(a.fraction)));
    }

    void silenceHasNoVoiceAtAll()
    {
        const SpeechActivity a = detectSpeech(buffer(fixtures::silence(2.0)));
        QCOMPARE(a.webrtcSeconds, 0.0);
        QCOMPARE(a.speechSeconds, 0.0);
        QCOMPARE(a.totalSeconds, 2.0);
    }

    void tessClipsAreSpeech_data()
    {
        QTest::addColumn<QString>("clip");
        for (const char* c : {"OAF_angry/OAF_back_angry.flac", "OAF_neutral/OAF_bath_neutral.flac",
                              "OAF_sad/OAF_back_sad.flac", "YAF_happy/YAF_back_happy.flac",
                              "YAF_fear/YAF_back_fear.flac", "YAF_disgust/YAF_bath_disgust.flac"})
            QTest::newRow(c) << testdata::tessDir() + "/" + c;
    }
    void tessClipsAreSpeech()
    {
        QFETCH(QString, clip);
        DecodeOptions d;
        d.targetSampleRate = 0; // the file's own rate: detectSpeech resamples itself
        const SpeechActivity a = detectSpeech(loadAudio(clip.toStdString(), d));
        QVERIFY2(looksLikeSpeech(a.speechSeconds, a.fraction),
                 qPrintable(QString("%1 s of speech in %2 s").arg(a.speechSeconds).arg(a.totalSeconds)));
    }

    void voicingCheckIsWhatRejectsLoudNoise()
    {
        // The WebRTC VAD alone calls loud white noise speech; the voicing check on its runs does not.
        const SpeechActivity a = detectSpeech(buffer(fixtures::whiteNoise(3.0, -10, 3)));
        QVERIFY2(looksLikeSpeech(a.webrtcSeconds, a.webrtcSeconds / a.totalSeconds),
                 qPrintable(QString("WebRTC alone: %1 s").arg(a.webrtcSeconds)));
        QVERIFY(!looksLikeSpeech(a.speechSeconds, a.fraction));
        VoiceActivityOptions vadOnly;
        vadOnly.requireVoicing = false;
        const SpeechActivity b = detectSpeech(buffer(fixtures::whiteNoise(3.0, -10, 3)), vadOnly);
        QCOMPARE(b.speechSeconds, a.webrtcSeconds);
    }

    void flatnessIsWhatRejectsTones()
    {
        // A sweep and a steady tone: the WebRTC VAD calls them speech and most of their frames are periodic, so
        // periodicity alone would keep them; their spectral flatness (a single partial) is what rejects them.
        for (const auto& samples : {fixtures::sweep(3.0, 100, 8000, -20), fixtures::tone(3.0, 1000, -20)}) {
            const SpeechActivity a = detectSpeech(buffer(samples));
            QVERIFY2(looksLikeSpeech(a.webrtcSeconds, a.webrtcSeconds / a.totalSeconds), qPrintable(QString::number(a.webrtcSeconds)));
            int periodic = 0, vad = 0;
            for (std::size_t f = 0; f < a.frameWebrtc.size(); ++f) {
                vad += a.frameWebrtc[f];
                periodic += a.frameWebrtc[f] && a.framePeriodicity[f] >= 0.5f;
            }
            QVERIFY2(periodic > vad / 2, qPrintable(QString("%1 of %2 periodic").arg(periodic).arg(vad)));
            QCOMPARE(a.speechSeconds, 0.0);
        }
    }

    void speechInsideSilenceIsLocated()
    {
        // 1 s silence, a TESS clip, 1 s silence: the speech frames lie in the middle part only.
        AudioBuffer clip = loadAudio((testdata::tessDir() + "/OAF_angry/OAF_back_angry.flac").toStdString());
        QCOMPARE(clip.sampleRate, fixtures::kRate);
        std::vector<float> x = fixtures::silence(1.0);
        x.insert(x.end(), clip.samples.begin(), clip.samples.end());
        const std::size_t clipEnd = x.size();
        x.resize(x.size() + fixtures::kRate, 0.0f);
        const SpeechActivity a = detectSpeech(buffer(x));
        // The WebRTC VAD holds a decision for a while after speech ends (its hangover): allow 0.1 s.
        const std::size_t firstClipFrame = 100, lastClipFrame = clipEnd * 100 / fixtures::kRate + 10;
        std::size_t first = a.frameIsSpeech.size(), last = 0;
        for (std::size_t f = 0; f < a.frameIsSpeech.size(); ++f)
            if (a.frameIsSpeech[f]) first = std::min(first, f), last = f;
        qInfo("speech frames %zu..%zu, clip frames %zu..%zu", first, last, firstClipFrame, lastClipFrame - 10);
        QVERIFY2(first >= firstClipFrame && last <= lastClipFrame, qPrintable(QString("speech %1..%2").arg(first).arg(last)));
        QVERIFY(a.speechSeconds >= 0.3);
    }

    void errorsAndThreads()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, detectSpeech(AudioBuffer{{0.0f, 0.1f}, 0}));
        VoiceActivityOptions bad;
        bad.likelihood = 7;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, detectSpeech(buffer(fixtures::silence(0.1)), bad));
        QCOMPARE(detectSpeech(AudioBuffer{{}, 16000}).speechSeconds, 0.0);
        // Each call has its own detector: concurrent calls give the same frames as one alone.
        const AudioBuffer speech = loadAudio((testdata::tessDir() + "/YAF_happy/YAF_back_happy.flac").toStdString());
        const SpeechActivity alone = detectSpeech(speech);
        std::vector<std::future<SpeechActivity>> runs;
        for (int i = 0; i < 4; ++i) runs.push_back(std::async(std::launch::async, [&] { return detectSpeech(speech); }));
        for (auto& r : runs) QVERIFY(r.get().frameIsSpeech == alone.frameIsSpeech);
    }
};

QTEST_GUILESS_MAIN(TestVoiceActivity)
#include "test_voice_activity.moc"
