// SPDX-License-Identifier: GPL-3.0-or-later
// StreamedPcmSource (issue 9, playback of streamed long files), read the way QAudioSink reads it but without a
// sink: it yields the same PCM as a whole-file decode converted by monoFloatToPcm (the in-memory player's bytes),
// a seek gives the samples at that point, a range's end and the file's end stop it, a vanished file is reported,
// and reading a generated 30-minute file keeps its own buffer under its limit and the process's RSS growth small.
#include "Sanitizers.h"
#include "audio/AudioDecoder.h"
#include "engine/PcmConvert.h"
#include "engine/StreamedPcmSource.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <random>

namespace {

std::string std8(const QString& s) { return QFile::encodeName(s).toStdString(); }

QAudioFormat monoFormat(int rate, QAudioFormat::SampleFormat type)
{
    QAudioFormat f;
    f.setSampleRate(rate);
    f.setChannelCount(1);
    f.setSampleFormat(type);
    return f;
}

// Writes frames of `channels` interleaved float samples, produced block by block (a long file never in memory).
template <typename Generate>
bool writeFile(const QString& path, int format, int rate, int channels, long long frames, Generate generate)
{
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE* f = sf_open(QFile::encodeName(path).constData(), SFM_WRITE, &info);
    if (!f)
        return false;
    std::vector<float> block;
    bool ok = true;
    for (long long at = 0; at < frames && ok;) {
        const long long n = std::min<long long>(rate, frames - at);
        block.resize(std::size_t(n) * std::size_t(channels));
        generate(at, n, block);
        ok = sf_writef_float(f, block.data(), n) == n;
        at += n;
    }
    return sf_close(f) == 0 && ok;
}

// Reads everything from the current position to the end, as a sink pulls: chunks of `chunkFrames`, waiting for the
// worker when it has not caught up. Calls probe() after every chunk.
template <typename Probe>
QByteArray readToEnd(StreamedPcmSource& source, qint64 chunkFrames, Probe probe)
{
    QByteArray all;
    QByteArray chunk(int(chunkFrames * source.format().bytesPerFrame()), Qt::Uninitialized);
    while (!source.atEnd()) {
        const qint64 got = source.read(chunk.data(), chunk.size());
        if (got < 0)
            break;
        if (got == 0 && !source.waitForReadyRead(5000) && !source.atEnd()) {
            qWarning("no data for 5 s at byte %lld", source.pos());
            break;
        }
        all.append(chunk.constData(), got);
        probe();
    }
    return all;
}

QByteArray readToEnd(StreamedPcmSource& source, qint64 chunkFrames = 441)
{
    return readToEnd(source, chunkFrames, [] {});
}

// Reads `frames` frames (fewer at the end).
QByteArray readFrames(StreamedPcmSource& source, qint64 frames)
{
    QByteArray out;
    const qint64 want = frames * source.format().bytesPerFrame();
    QByteArray chunk(int(std::min<qint64>(want, 8192)), Qt::Uninitialized);
    while (out.size() < want && !source.atEnd()) {
        const qint64 got = source.read(chunk.data(), std::min<qint64>(chunk.size(), want - out.size()));
        if (got == 0)
            source.waitForReadyRead(5000);
        else if (got > 0)
            out.append(chunk.constData(), got);
        else
            break;
    }
    return out;
}

QByteArray pcmOf(const std::vector<float>& samples, std::size_t from, std::size_t count, const QAudioFormat& format)
{
    from = std::min(from, samples.size());
    count = std::min(count, samples.size() - from);
    return monoFloatToPcm(std::vector<float>(samples.begin() + std::ptrdiff_t(from),
                                             samples.begin() + std::ptrdiff_t(from + count)),
                          format);
}

float worstFloatDifference(const QByteArray& a, const QByteArray& b)
{
    const auto* x = reinterpret_cast<const float*>(a.constData());
    const auto* y = reinterpret_cast<const float*>(b.constData());
    float worst = 0;
    for (qsizetype i = 0; i < std::min(a.size(), b.size()) / 4; ++i)
        worst = std::max(worst, std::abs(x[i] - y[i]));
    return worst;
}

long long rssKilobytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}

} // namespace

class TestStreamedSource : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString stereo_;            // 40 s, 44.1 kHz stereo 24-bit FLAC of noise and a glide
    std::vector<float> whole_;  // its whole-file decode at its own rate

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        stereo_ = dir_.filePath(QStringLiteral("stereo.flac"));
        std::mt19937 rng(5);
        std::normal_distribution<float> noise(0.0f, 0.1f);
        QVERIFY(writeFile(stereo_, SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 44100, 2, 44100LL * 40,
                          [&](long long at, long long n, std::vector<float>& block) {
                              for (long long i = 0; i < n; ++i) {
                                  const double t = double(at + i) / 44100;
                                  const float glide = float(0.4 * std::sin(2 * std::numbers::pi * (300 * t + 5 * t * t)));
                                  block[std::size_t(2 * i)] = glide + noise(rng);
                                  block[std::size_t(2 * i + 1)] = -glide + noise(rng);
                              }
                          }));
        whole_ = emoscope::loadAudio(std8(stereo_), emoscope::DecodeOptions{0, 0.0, 0.0}).samples;
        QCOMPARE(whole_.size(), std::size_t(44100 * 40));
    }

    // Float and 16-bit at the file's rate: the very bytes the in-memory player would play.
    void yieldsTheWholeDecode_data()
    {
        QTest::addColumn<int>("type");
        QTest::newRow("float") << int(QAudioFormat::Float);
        QTest::newRow("int16") << int(QAudioFormat::Int16);
    }
    void yieldsTheWholeDecode()
    {
        QFETCH(int, type);
        const QAudioFormat format = monoFormat(44100, QAudioFormat::SampleFormat(type));
        StreamedPcmSource source(stereo_, format, qint64(whole_.size()));
        QVERIFY(source.open(QIODevice::ReadOnly));
        QCOMPARE(source.size(), qint64(whole_.size()) * format.bytesPerFrame());
        const QByteArray got = readToEnd(source);
        const QByteArray expected = monoFloatToPcm(whole_, format);
        QCOMPARE(got.size(), expected.size());
        QVERIFY(got == expected);
        QVERIFY(source.atEnd());
        QCOMPARE(source.bytesAvailable(), qint64(0));
    }

    // A device that cannot take the file's rate: the stream resamples as loadAudio does (float rounding apart).
    void resamplesLikeTheWholeDecode()
    {
        const std::vector<float> at48 = emoscope::loadAudio(std8(stereo_), emoscope::DecodeOptions{48000, 0.0, 0.0}).samples;
        const QAudioFormat format = monoFormat(48000, QAudioFormat::Float);
        StreamedPcmSource source(stereo_, format, qint64(at48.size()));
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray got = readToEnd(source, 960);
        const QByteArray expected = monoFloatToPcm(at48, format);
        QCOMPARE(got.size(), expected.size());
        QVERIFY2(worstFloatDifference(got, expected) < 1e-4f, qPrintable(QString::number(double(worstFloatDifference(got, expected)))));
        source.seek(qint64(17.25 * 48000) * 4);
        const QByteArray there = readFrames(source, 48000);
        const QByteArray expectThere = pcmOf(at48, std::size_t(17.25 * 48000), 48000, format);
        QCOMPARE(there.size(), expectThere.size());
        QVERIFY(worstFloatDifference(there, expectThere) < 1e-4f);
    }

    // Seeks anywhere, also while the worker is busy with the old position and right after another seek.
    void seekGivesTheSamplesThere()
    {
        const QAudioFormat format = monoFormat(44100, QAudioFormat::Float);
        StreamedPcmSource source(stereo_, format, qint64(whole_.size()));
        QVERIFY(source.open(QIODevice::ReadOnly));
        QVERIFY(!readFrames(source, 4410).isEmpty());
        const std::vector<qint64> frames = {441000, 88200, 0, 1700000, 12345, qint64(whole_.size()) - 1000};
        for (qint64 frame : frames) {
            source.seek(frame * 4 + 3); // a byte inside a frame goes to that frame's start
            QCOMPARE(source.pos(), frame * 4);
            const QByteArray got = readFrames(source, 44100);
            const QByteArray expected = pcmOf(whole_, std::size_t(frame), 44100, format);
            QCOMPARE(got.size(), expected.size());
            QVERIFY2(got == expected, qPrintable(QStringLiteral("at frame %1").arg(frame)));
        }
        // Back to back: only the last seek counts.
        source.seek(100 * 4);
        source.seek(900000 * 4);
        source.seek(300000 * 4);
        QVERIFY(readFrames(source, 22050) == pcmOf(whole_, 300000, 22050, format));
        // Past the end: nothing to read, the end at once.
        source.seek(qint64(whole_.size() + 5000) * 4);
        QVERIFY(source.waitForReadyRead(2000) == false);
        QVERIFY(source.atEnd());
    }

    // A range: the stream ends exactly at its last frame, and goes on when the limit is lifted.
    void endFrameStopsTheStream()
    {
        const QAudioFormat format = monoFormat(44100, QAudioFormat::Float);
        StreamedPcmSource source(stereo_, format, qint64(whole_.size()));
        QVERIFY(source.open(QIODevice::ReadOnly));
        source.setEndFrame(441000 + 22050);
        source.seek(441000 * 4);
        QCOMPARE(source.size(), qint64(441000 + 22050) * 4);
        const QByteArray range = readToEnd(source);
        QVERIFY(range == pcmOf(whole_, 441000, 22050, format));
        QVERIFY(source.atEnd());
        source.setEndFrame(-1);
        QVERIFY(!source.atEnd());
        QVERIFY(readFrames(source, 1000) == pcmOf(whole_, 441000 + 22050, 1000, format));
    }

    // The analysis said the file is longer than it now is (it was cut meanwhile): the stream ends where the
    // file does. A file that vanished before playing is reported, naming it.
    void theFileDecidesWhereItEnds()
    {
        const QAudioFormat format = monoFormat(44100, QAudioFormat::Float);
        StreamedPcmSource longer(stereo_, format, qint64(whole_.size()) + 44100 * 60);
        QVERIFY(longer.open(QIODevice::ReadOnly));
        longer.seek(qint64(whole_.size() - 2000) * 4);
        QCOMPARE(readToEnd(longer).size(), 2000 * 4);
        QVERIFY(longer.atEnd());

        const QString gone = dir_.filePath(QStringLiteral("gone.wav"));
        StreamedPcmSource missing(gone, format, 44100);
        QSignalSpy failed(&missing, &StreamedPcmSource::failed);
        QVERIFY(missing.open(QIODevice::ReadOnly));
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY2(failed.first().first().toString().startsWith(gone + QStringLiteral(": ")),
                 qPrintable(failed.first().first().toString()));
        QVERIFY(missing.hasFailed());
        QVERIFY(missing.atEnd());
        char byte[4];
        QCOMPARE(missing.read(byte, 4), qint64(0));
    }

    // Thirty minutes (16 kHz, 16-bit, 58 MB) read to the end as fast as the source decodes: its own buffer
    // never passes its limit (seconds, not the file's length) and the process grows by far less than the file.
    void memoryStaysBounded()
    {
        const QString path = dir_.filePath(QStringLiteral("thirty-minutes.wav"));
        constexpr int kRate = 16000;
        constexpr long long kFrames = 30LL * 60 * kRate;
        // A tone whose pitch names the second it is in: any sample can be checked against its formula.
        const auto sampleAt = [](long long i) {
            const double second = std::floor(double(i) / kRate);
            return float(0.25 * std::sin(2 * std::numbers::pi * (200.0 + std::fmod(second, 100.0) * 10.0) * double(i) / kRate));
        };
        QVERIFY(writeFile(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, kRate, 1, kFrames,
                          [&](long long at, long long n, std::vector<float>& block) {
                              for (long long i = 0; i < n; ++i) block[std::size_t(i)] = sampleAt(at + i);
                          }));
        const long long rssBefore = rssKilobytes();
        QVERIFY(rssBefore > 0);

        const QAudioFormat format = monoFormat(kRate, QAudioFormat::Float);
        StreamedPcmSource source(path, format, kFrames);
        QVERIFY(source.open(QIODevice::ReadOnly));
        std::size_t mostBuffered = 0;
        long long rssPeak = rssBefore;
        qint64 bytes = 0;
        QByteArray chunk(4 * 4000, Qt::Uninitialized);
        int chunks = 0;
        while (!source.atEnd()) {
            const qint64 got = source.read(chunk.data(), chunk.size());
            QVERIFY(got >= 0);
            if (got == 0)
                QVERIFY(source.waitForReadyRead(5000) || source.atEnd());
            bytes += got;
            mostBuffered = std::max(mostBuffered, source.bufferedSamples());
            if (++chunks % 500 == 0)
                rssPeak = std::max(rssPeak, rssKilobytes());
        }
        QCOMPARE(bytes, kFrames * 4);
        qInfo("30 minutes read: at most %zu samples buffered (limit %zu), RSS grew by %lld kB", mostBuffered,
              source.bufferLimitSamples(), rssPeak - rssBefore);
        QVERIFY2(mostBuffered <= source.bufferLimitSamples(),
                 qPrintable(QStringLiteral("%1 > %2").arg(mostBuffered).arg(source.bufferLimitSamples())));
        QVERIFY(source.bufferLimitSamples() < std::size_t(60 * kRate)); // seconds, not the file's 30 minutes
        if (!testdata::kAddressSanitizer)
            QVERIFY2(rssPeak - rssBefore < 50 * 1024, qPrintable(QStringLiteral("RSS grew by %1 kB").arg(rssPeak - rssBefore)));

        // The samples at 25:00, against the formula the file was written from (16-bit quantisation apart).
        const qint64 at = 25LL * 60 * kRate;
        source.seek(at * 4);
        const QByteArray there = readFrames(source, kRate);
        QCOMPARE(there.size(), qsizetype(kRate * 4));
        const auto* x = reinterpret_cast<const float*>(there.constData());
        float worst = 0;
        for (int i = 0; i < kRate; ++i) worst = std::max(worst, std::abs(x[i] - sampleAt(at + i)));
        QVERIFY2(worst < 2.0f / 32768, qPrintable(QString::number(double(worst))));
    }
};

QTEST_GUILESS_MAIN(TestStreamedSource)
#include "test_streamed_source.moc"
