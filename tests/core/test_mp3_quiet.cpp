// SPDX-License-Identifier: GPL-3.0-or-later
// MP3 decoding leaves the process's stderr alone. It used to point fd 2 at a temporary file during every open and
// every MP3 read to hide libmpg123's complaints, which swallowed whatever other threads wrote meanwhile. Here a
// second thread writes numbered lines to stderr while whole, truncated and damaged MP3s are decoded, and every line
// must come out, with nothing from libmpg123 between them; the damaged files are still refused in one line of ours.
#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <thread>
#include <unistd.h>

using namespace emoscope;

namespace {

constexpr int kRate = 16000;
constexpr double kSeconds = 3.0;

bool writeMp3(const QString& path)
{
    SF_INFO info{};
    info.samplerate = kRate;
    info.channels = 1;
    info.format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    SNDFILE* f = sf_open(QFile::encodeName(path).constData(), SFM_WRITE, &info);
    if (!f) return false;
    std::vector<float> x(std::size_t(kRate * kSeconds));
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(0.5 * std::sin(2 * std::numbers::pi * 220.0 * double(i) / kRate));
    const bool ok = sf_write_float(f, x.data(), sf_count_t(x.size())) == sf_count_t(x.size());
    return sf_close(f) == 0 && ok;
}

bool writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

std::string std8(const QString& s) { return QFile::encodeName(s).toStdString(); }

// What loading says: empty when it decodes, else the error's kind and text.
QString loadError(const QString& path, AudioErrorKind* kind = nullptr)
{
    try {
        (void)loadAudio(std8(path), DecodeOptions{0, 0, 0});
        return {};
    } catch (const AudioError& e) {
        if (kind) *kind = e.kind();
        return QString::fromUtf8(e.what());
    }
}

} // namespace

class TestMp3Quiet : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString whole_, cut_, damaged_, tagged_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        whole_ = dir_.filePath("whole.mp3");
        if (!writeMp3(whole_)) QSKIP("libsndfile cannot write MP3 here");
        QFile in(whole_);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray bytes = in.readAll();
        cut_ = dir_.filePath("cut.mp3");
        QVERIFY(writeBytes(cut_, bytes.left(bytes.size() * 2 / 3)));
        damaged_ = dir_.filePath("damaged.mp3"); // 400 bytes of the middle overwritten: frames lost, then resync
        QByteArray middle = bytes;
        for (qsizetype i = bytes.size() / 2; i < bytes.size() / 2 + 400; ++i) middle[i] = char(0x55);
        QVERIFY(writeBytes(damaged_, middle));
        // An ID3v2 tag in front (10-byte header, 22-byte body of padding), as taggers write it.
        tagged_ = dir_.filePath("tagged.mp3");
        QVERIFY(writeBytes(tagged_, QByteArray("ID3\x03\x00\x00\x00\x00\x00\x16", 10) + QByteArray(22, '\0') + bytes));
    }

    void decodesWholeAndTaggedFiles()
    {
        const AudioBuffer a = loadAudio(std8(whole_), DecodeOptions{0, 0, 0});
        QCOMPARE(a.sampleRate, kRate);
        QCOMPARE(a.samples.size(), std::size_t(kRate * kSeconds)); // gapless: exactly what was encoded
        const AudioBuffer t = loadAudio(std8(tagged_), DecodeOptions{0, 0, 0});
        QVERIFY(t.samples == a.samples);
        const AudioInfo info = probeAudio(std8(whole_));
        QCOMPARE(QString::fromStdString(info.format), QStringLiteral("MPEG"));
        QCOMPARE(QString::fromStdString(info.encoding), QStringLiteral("MPEG_LAYER_III"));
        QCOMPARE(info.frames, (long long)(kRate * kSeconds));
    }

    void damagedFilesAreRefusedInOneLine()
    {
        for (const QString& path : {cut_, damaged_}) {
            AudioErrorKind kind{};
            const QString error = loadError(path, &kind);
            QVERIFY2(kind == AudioErrorKind::ReadFailed, qPrintable(error));
            QVERIFY2(error.startsWith(path + QStringLiteral(": damaged or truncated MP3 stream (libmpg123: ")),
                     qPrintable(error));
            QVERIFY(!error.contains('\n'));
        }
    }

    void otherThreadsStderrStillAppears()
    {
        // Watch fd 2 through a file of the test's own (restored at the end).
        const QString watched = dir_.filePath("stderr.txt");
        std::FILE* sink = std::fopen(QFile::encodeName(watched).constData(), "w+");
        QVERIFY(sink);
        std::fflush(stderr);
        const int saved = ::dup(2);
        QVERIFY(saved >= 0);
        QVERIFY(::dup2(::fileno(sink), 2) == 2);

        std::atomic<bool> stop{false};
        std::atomic<int> written{0};
        std::thread talker([&] {
            while (!stop.load()) {
                char line[32];
                const int n = std::snprintf(line, sizeof line, "marker %d\n", written.load());
                if (::write(2, line, std::size_t(n)) == n) ++written;
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
        });
        int refused = 0, decoded = 0;
        for (int round = 0; round < 10; ++round) {
            for (const QString& path : {whole_, cut_, damaged_, tagged_}) {
                if (loadError(path).isEmpty()) ++decoded;
                else ++refused;
            }
        }
        stop = true;
        talker.join();
        std::fflush(stderr);
        ::dup2(saved, 2);
        ::close(saved);
        std::fclose(sink);

        QCOMPARE(decoded, 20);
        QCOMPARE(refused, 20);
        QFile f(watched);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QVERIFY(written.load() > 20);
        // Every marker, in order, and nothing else (libmpg123 printed nothing).
        QCOMPARE(int(lines.size()), written.load() + 1); // the last line is the empty text after the final '\n'
        for (int i = 0; i < written.load(); ++i)
            QCOMPARE(lines[i], QByteArray("marker ") + QByteArray::number(i));
    }
};

QTEST_GUILESS_MAIN(TestMp3Quiet)
#include "test_mp3_quiet.moc"
