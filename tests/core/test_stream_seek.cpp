// SPDX-License-Identifier: GPL-3.0-or-later
// AudioStreamReader::seek (issue 9, playback of streamed files): after a seek, read() gives the samples a fresh
// reader gives from that point on, for WAV, FLAC and MP3, at the file's own rate and resampled. The reference is
// a fresh reader decoding the whole file, so every seek is checked against an independent decode of the same file.
#include "audio/AudioError.h"
#include "audio/AudioStreamReader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

using namespace emoscope;

namespace {

// Noise plus a gliding tone: a misplaced seek by even one sample changes nearly every value.
std::vector<float> signal(int rate, int channels, double seconds, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> noise(0.0f, 0.08f);
    const long long frames = std::llround(seconds * rate);
    std::vector<float> x(std::size_t(frames) * std::size_t(channels));
    for (long long i = 0; i < frames; ++i) {
        const double t = double(i) / rate;
        const double glide = 0.4 * std::sin(2 * std::numbers::pi * (200.0 * t + 30.0 * t * t));
        for (int c = 0; c < channels; ++c)
            x[std::size_t(i) * std::size_t(channels) + std::size_t(c)] = float(glide) + noise(rng);
    }
    return x;
}

bool writeFile(const QString& path, int format, int rate, int channels, const std::vector<float>& interleaved)
{
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    if (!sf_format_check(&info))
        return false;
    SNDFILE* f = sf_open(QFile::encodeName(path).constData(), SFM_WRITE, &info);
    if (!f)
        return false;
    const sf_count_t frames = sf_count_t(interleaved.size()) / channels;
    const bool ok = sf_writef_float(f, interleaved.data(), frames) == frames;
    return sf_close(f) == 0 && ok;
}

std::string std8(const QString& s) { return QFile::encodeName(s).toStdString(); }

DecodeOptions atRate(int rate) { return DecodeOptions{rate, 0.0, 0.0}; }

std::vector<float> readToEnd(AudioStreamReader& reader)
{
    std::vector<float> out;
    while (reader.read(out)) {
    }
    return out;
}

// Largest |a[i] - b[i]| over [from, to).
float worstDifference(const std::vector<float>& a, const std::vector<float>& b, std::size_t from, std::size_t to)
{
    float worst = 0;
    for (std::size_t i = from; i < to; ++i)
        worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

} // namespace

class TestStreamSeek : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString wav_, flac_, mp3_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        wav_ = dir_.filePath(QStringLiteral("mono16k.wav"));
        QVERIFY(writeFile(wav_, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, signal(16000, 1, 20.0, 1)));
        flac_ = dir_.filePath(QStringLiteral("stereo44k.flac"));
        QVERIFY(writeFile(flac_, SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 44100, 2, signal(44100, 2, 12.0, 2)));
        mp3_ = dir_.filePath(QStringLiteral("mono22k.mp3"));
        if (!writeFile(mp3_, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 22050, 1, signal(22050, 1, 12.0, 3)))
            mp3_.clear(); // this libsndfile cannot encode MP3: its rows are skipped
    }

    void seekEqualsFreshRead_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("targetRate");
        QTest::addColumn<float>("tolerance");
        // Same rate: the very samples, bit for bit. Resampled: the FFT blocks fall elsewhere, so float rounding.
        QTest::newRow("wav native") << "wav" << 0 << 0.0f;
        QTest::newRow("wav 16k->22050") << "wav" << 22050 << 1e-4f;
        QTest::newRow("wav 16k->48000") << "wav" << 48000 << 1e-4f;
        QTest::newRow("flac native") << "flac" << 0 << 0.0f;
        QTest::newRow("flac 44.1k->22050") << "flac" << 22050 << 1e-4f;
        QTest::newRow("flac 44.1k->48000") << "flac" << 48000 << 1e-4f;
        // MP3: libmpg123's filter bank restarts after a seek; the decoder's pre-roll brings it back to float rounding.
        QTest::newRow("mp3 native") << "mp3" << 0 << 1e-6f;
        QTest::newRow("mp3 22050->44100") << "mp3" << 44100 << 1e-4f;
    }
    void seekEqualsFreshRead()
    {
        QFETCH(QString, kind);
        QFETCH(int, targetRate);
        QFETCH(float, tolerance);
        const QString path = kind == "wav" ? wav_ : kind == "flac" ? flac_ : mp3_;
        if (path.isEmpty())
            QSKIP("libsndfile cannot write MP3 here");
        AudioStreamReader fresh(std8(path), atRate(targetRate));
        const std::vector<float> whole = readToEnd(fresh);
        const int rate = fresh.sampleRate();
        QVERIFY(whole.size() > std::size_t(rate) * 10);
        const double seconds = double(whole.size()) / rate;

        // One reader, used the way playback uses it: read a little, jump anywhere (forwards, backwards, to the
        // start, onto the last samples, past the end), read again.
        AudioStreamReader reader(std8(path), atRate(targetRate));
        std::vector<float> scratch;
        QVERIFY(reader.read(scratch));
        std::mt19937 rng(11);
        std::uniform_real_distribution<double> anywhere(0.0, seconds);
        std::vector<double> targets = {7.3, 2.0, 0.0, 0.0004, seconds - 0.01, seconds + 5.0, 1.0 / 3.0};
        for (int i = 0; i < 5; ++i) targets.push_back(anywhere(rng));
        for (double t : targets) {
            reader.seek(t);
            const std::size_t start = std::min(whole.size(), std::size_t(std::llround(t * rate)));
            // Half a second after the seek (what one pull of the playback buffer needs), then on to the end.
            std::vector<float> after;
            while (after.size() < std::size_t(rate / 2) && reader.read(after)) {
            }
            const std::size_t head = std::min(after.size(), whole.size() - start);
            const std::vector<float> expectHead(whole.begin() + std::ptrdiff_t(start),
                                                whole.begin() + std::ptrdiff_t(start + head));
            const float headWorst = worstDifference(after, expectHead, 0, head);
            QVERIFY2(headWorst <= tolerance,
                     qPrintable(QStringLiteral("seek to %1 s: first %2 samples differ by up to %3")
                                    .arg(t).arg(head).arg(double(headWorst))));
            if (t == 7.3 || t == seconds - 0.01 || t > seconds) {
                while (reader.read(after)) {
                }
                QCOMPARE(after.size(), whole.size() - start); // the same end as a fresh read
                std::vector<float> expect(whole.begin() + std::ptrdiff_t(start), whole.end());
                const float worst = worstDifference(after, expect, 0, expect.size());
                QVERIFY2(worst <= tolerance, qPrintable(QStringLiteral("seek to %1 s: to the end differs by up to %2")
                                                            .arg(t).arg(double(worst))));
                QVERIFY(!reader.read(after)); // stays at the end until the next seek
            }
        }
    }

    // secondsRead() counts from the file's start, so progress and error messages keep naming file times.
    void secondsReadFollowsTheSeek()
    {
        AudioStreamReader reader(std8(wav_), atRate(0));
        reader.seek(12.5);
        QCOMPARE(reader.secondsRead(), 12.5);
        std::vector<float> out;
        QVERIFY(reader.read(out));
        QCOMPARE(reader.secondsRead(), 12.5 + double(out.size()) / 16000);
    }

    void badTimesAreRefused()
    {
        AudioStreamReader reader(std8(wav_), atRate(0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, reader.seek(-1.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, reader.seek(std::nan("")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, reader.seek(INFINITY));
    }
};

QTEST_GUILESS_MAIN(TestStreamSeek)
#include "test_stream_seek.moc"
