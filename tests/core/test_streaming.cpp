// SPDX-License-Identifier: GPL-3.0-or-later
// StreamingLogMel gives exactly LogMelExtractor::melPower's columns for the concatenated signal, whatever the chunking.
#include "dsp/FeatureConfig.h"
#include "dsp/LogMelExtractor.h"
#include "dsp/StreamingLogMel.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace emoscope;

namespace {

std::vector<float> signal(std::size_t n, unsigned seed)
{
    // Noise plus a tone, so every mel band carries energy and frames differ from one another.
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-0.3f, 0.3f);
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i)
        x[i] = u(rng) + 0.5f * float(std::sin(2.0 * 3.14159265358979 * 440.0 * double(i) / 22050.0));
    return x;
}

// Streams x in the given chunk sizes (cycled), checking counters on the way; all columns go to `all`.
void stream(StreamingLogMel& s, const FeatureConfig& c, const std::vector<float>& x,
            const std::vector<std::size_t>& chunks, MelMatrix& all)
{
    all = MelMatrix(c.nMels, 0);
    std::size_t pos = 0, k = 0;
    while (pos < x.size()) {
        const std::size_t n = std::min(chunks[k++ % chunks.size()], x.size() - pos);
        const MelMatrix part = s.push(x.data() + pos, n);
        pos += n;
        if (part.frames > 0)
            QVERIFY(part.nMels == c.nMels);
        all.appendFrames(part);
        QVERIFY(s.samplesPushed() == (long long)pos);
        QVERIFY(s.framesEmitted() == all.frames);
        // Never ahead of what the offline transform would give for the samples so far.
        QVERIFY(all.frames <= c.framesFor((long long)pos));
    }
    all.appendFrames(s.finish());
}

} // namespace

class TestStreaming : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesOffline_data()
    {
        QTest::addColumn<bool>("center");
        QTest::addColumn<int>("length");
        for (bool center : {true, false}) {
            for (int n : {1, 2, 300, 511, 512, 513, 1023, 1024, 1025, 2047, 2048, 2049, 4096, 22050 + 7, 44100}) {
                QTest::newRow(qPrintable(QString("%1 n=%2").arg(center ? "centre" : "no-centre").arg(n)))
                    << center << n;
            }
        }
    }

    void matchesOffline()
    {
        QFETCH(bool, center);
        QFETCH(int, length);
        FeatureConfig c;
        c.center = center;
        const LogMelExtractor offline(c);
        const std::vector<float> x = signal(std::size_t(length), unsigned(length) * 7 + (center ? 1 : 0));
        const MelMatrix expected = offline.melPower(x.data(), x.size());
        QCOMPARE(qint64(expected.frames), qint64(c.framesFor(length)));

        const std::size_t hop = std::size_t(c.hopLength), nFft = std::size_t(c.nFft);
        std::vector<std::vector<std::size_t>> chunkings{
            {1}, {hop - 1}, {hop}, {hop + 1}, {nFft + 1}, {x.size()}, {0, 3, 0, 1000}, {7, 2048, 1}};
        std::mt19937 rng(1234u + unsigned(length));
        for (int r = 0; r < 6; ++r) {
            std::uniform_int_distribution<std::size_t> size(0, r % 2 ? 64 : 5000);
            std::vector<std::size_t> chunks(50);
            for (auto& s : chunks)
                s = size(rng);
            chunks.push_back(1); // a chunking must make progress
            chunkings.push_back(chunks);
        }

        StreamingLogMel s(c);
        for (const auto& chunks : chunkings) {
            s.reset();
            MelMatrix got;
            stream(s, c, x, chunks, got);
            if (QTest::currentTestFailed())
                return;
            QCOMPARE(got.frames, expected.frames);
            QCOMPARE(got.nMels, expected.nMels);
            // Same arithmetic (LogMelExtractor::frameToMel on the same zero-padded frames): bit-identical.
            QVERIFY2(got.data == expected.data,
                     qPrintable(QString("chunking starting %1 differs from offline").arg(chunks.front())));
        }
    }

    void emptyStream()
    {
        const FeatureConfig c;
        StreamingLogMel s(c);
        QCOMPARE(s.push(nullptr, 0).frames, 0);
        QCOMPARE(s.finish().frames, 0);
        QCOMPARE(s.framesEmitted(), 0LL);
        const LogMelExtractor offline(c);
        QCOMPARE(offline.melPower(nullptr, 0).frames, 0);
    }

    void columnsArriveAsSoonAsComplete()
    {
        // With centre padding, frame t needs samples up to t*hop + nFft/2: frame 0 is due after 1024 samples.
        const FeatureConfig c;
        StreamingLogMel s(c);
        const std::vector<float> x = signal(3000, 5);
        QCOMPARE(s.push(x.data(), 1023).frames, 0);
        QCOMPARE(s.push(x.data() + 1023, 1).frames, 1);
        QCOMPARE(s.push(x.data() + 1024, 511).frames, 0);
        QCOMPARE(s.push(x.data() + 1535, 1).frames, 1);
        // 1536 samples pushed: finish() emits the rest of framesFor(1536) = 4 frames.
        QCOMPARE(s.finish().frames, 2);
        QCOMPARE(s.framesEmitted(), 4LL);
    }

    void pushAfterFinishNeedsReset()
    {
        const FeatureConfig c;
        StreamingLogMel s(c);
        const std::vector<float> x = signal(5000, 9);
        s.push(x.data(), x.size());
        s.finish();
        QVERIFY_THROWS_EXCEPTION(std::logic_error, s.push(x.data(), 10));
        s.reset();
        QCOMPARE(s.samplesPushed(), 0LL);
        QCOMPARE(s.framesEmitted(), 0LL);
        MelMatrix all = s.push(x.data(), x.size());
        all.appendFrames(s.finish());
        const LogMelExtractor offline(c);
        QCOMPARE(all.data, offline.melPower(x.data(), x.size()).data);
    }

    void otherConfig()
    {
        // Non-default sizes (odd window inside a larger FFT, small hop) stream exactly too.
        FeatureConfig c;
        c.sampleRate = 16000;
        c.nFft = 1024;
        c.winLength = 801;
        c.hopLength = 160;
        c.nMels = 40;
        c.fMin = 50;
        c.fMax = 7600;
        c.slaneyMelScale = false;
        c.power = 1.0;
        const LogMelExtractor offline(c);
        const std::vector<float> x = signal(16000 + 33, 77);
        const MelMatrix expected = offline.melPower(x.data(), x.size());
        StreamingLogMel s(c);
        MelMatrix got;
        stream(s, c, x, {1, 159, 160, 161, 1025, 3}, got);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(got.frames, expected.frames);
        QVERIFY(got.data == expected.data);
    }
};

QTEST_GUILESS_MAIN(TestStreaming)
#include "test_streaming.moc"
