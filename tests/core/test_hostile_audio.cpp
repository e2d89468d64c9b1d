// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile audio files (issue 11), each generated here: special files (a FIFO, /dev/zero), a header with a sample
// rate of 0, a truncated OGG (libsndfile reports INT64_MAX frames), a 2 GiB file whose header claims hours, NaN/Inf
// and absurd float samples, one NaN in a sine, files too short to analyze, a rate the resampler cannot convert,
// and out-of-range lengths and windows. Every error is one line naming the file and the reason; through the CLI,
// exit code 2 with a single stderr line.
#include "CliRun.h"
#include "TestData.h"
#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"
#include "audio/AudioStreamReader.h"
#include "infer/Classifier.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <sys/stat.h>
#include <unistd.h>

using namespace emoscope;

namespace {

bool writeFloatWav(const QString& path, int rate, const std::vector<float>& x, int format = SF_FORMAT_WAV | SF_FORMAT_FLOAT)
{
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = 1;
    info.format = format;
    SNDFILE* f = sf_open(QFile::encodeName(path).constData(), SFM_WRITE, &info);
    if (!f) return false;
    // Float WAVs written with normalisation off keep the values exactly as given (NaN, 1e30...).
    sf_command(f, SFC_SET_NORM_FLOAT, nullptr, SF_FALSE);
    const bool ok = sf_write_float(f, x.data(), sf_count_t(x.size())) == sf_count_t(x.size());
    return sf_close(f) == 0 && ok;
}

std::vector<float> sine(int rate, double seconds)
{
    std::vector<float> x(std::size_t(rate * seconds));
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(0.5 * std::sin(2 * std::numbers::pi * 220.0 * double(i) / rate));
    return x;
}

// A 44-byte PCM WAV header with the given fields, then `dataBytes` of zeros (or only the header when sparse).
QByteArray wavHeader(quint32 rate, quint16 channels, quint32 dataBytes)
{
    QByteArray h;
    auto le16 = [&](quint16 v) { h.append(char(v & 0xff)).append(char(v >> 8)); };
    auto le32 = [&](quint32 v) { le16(quint16(v & 0xffff)); le16(quint16(v >> 16)); };
    h.append("RIFF");
    le32(36 + dataBytes);
    h.append("WAVEfmt ");
    le32(16);
    le16(1);
    le16(channels);
    le32(rate);
    le32(rate * channels * 2);
    le16(quint16(channels * 2));
    le16(16);
    h.append("data");
    le32(dataBytes);
    return h;
}

bool writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// The error loadAudio throws for path (empty kind string when it throws none).
AudioError errorOf(const QString& path, const DecodeOptions& options = {})
{
    try {
        loadAudio(QFile::encodeName(path).toStdString(), options);
    } catch (const AudioError& e) {
        return e;
    }
    return AudioError(AudioErrorKind::WriteFailed, "", "no error");
}

long vmHwmKb()
{
    QFile f("/proc/self/status");
    if (!f.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:")) return line.mid(6).trimmed().split(' ').front().toLong();
    return -1;
}

} // namespace

class TestHostileAudio : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString file(const QString& name) const { return dir_.filePath(name); }

    // exit code 2, exactly one stderr line that names `path` and contains `reason`.
    void expectCliRefusal(const QStringList& args, const QString& path, const QString& reason)
    {
        const testdata::CliRun r = testdata::runCli(args, 120000); // a hang guard, not a timing
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(r.exitCode == 2, qPrintable(QString("exit %1, stderr: %2").arg(r.exitCode).arg(err)));
        QVERIFY2(err.count('\n') == 1 && err.endsWith('\n'), qPrintable("not one stderr line: " + err));
        QVERIFY2(err.contains(path), qPrintable(err));
        QVERIFY2(err.contains(reason), qPrintable(err));
    }

    void expectLoadError(const QString& path, AudioErrorKind kind, const QString& reason,
                         const DecodeOptions& options = {})
    {
        const AudioError e = errorOf(path, options);
        const QString what = QString::fromStdString(e.what());
        QVERIFY2(e.kind() == kind, qPrintable(QString("%1 (kind %2)").arg(what, toString(e.kind()))));
        QVERIFY2(what.startsWith(path + ": "), qPrintable(what));
        QVERIFY2(what.contains(reason), qPrintable(what));
        QVERIFY(!what.contains('\n'));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void fifoIsRefusedWithoutHanging()
    {
        const QString fifo = file("pipe.wav");
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        // Before the fix, open() blocked here forever waiting for a writer.
        expectLoadError(fifo, AudioErrorKind::NotAFile, "not a regular file (a FIFO)");
        QVERIFY_THROWS_EXCEPTION(AudioError, probeAudio(QFile::encodeName(fifo).toStdString()));
        expectCliRefusal({"classify", fifo, "--model", testdata::bundledModel()}, fifo, "not a regular file");
        expectCliRefusal({"timeline", fifo, "--model", testdata::bundledModel(), "--csv"}, fifo, "not a regular file");
    }

    void deviceIsNotARegularFile()
    {
        expectLoadError("/dev/zero", AudioErrorKind::NotAFile, "not a regular file (a character device)");
        expectCliRefusal({"classify", "/dev/zero", "--model", testdata::bundledModel()}, "/dev/zero",
                         "not a regular file");
    }

    void zeroSampleRateIsNamed()
    {
        const QString path = file("rate0.wav");
        QByteArray bytes = wavHeader(0, 1, 3200);
        bytes.append(QByteArray(3200, '\0'));
        QVERIFY(writeBytes(path, bytes));
        // libsndfile's own words were "Internal error : SF_INFO struct incomplete."
        expectLoadError(path, AudioErrorKind::NotAudio, "invalid sample rate 0");
        expectCliRefusal({"classify", path, "--model", testdata::bundledModel()}, path, "invalid sample rate 0");
    }

    void truncatedOggDecodesWhatIsThere()
    {
        const QString whole = file("whole.ogg");
        if (!writeFloatWav(whole, 16000, sine(16000, 10.0), SF_FORMAT_OGG | SF_FORMAT_VORBIS))
            QSKIP("libsndfile cannot write OGG/Vorbis here");
        QFile in(whole);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray bytes = in.readAll();
        const QString cut = file("cut.ogg");
        QVERIFY(writeBytes(cut, bytes.left(bytes.size() * 9 / 10)));
        const AudioInfo info = probeAudio(QFile::encodeName(cut).toStdString());
        // Not libsndfile's INT64_MAX ("too long (377790285772703.2 s)"): what the file really holds.
        QVERIFY2(info.frames > 0 && info.frames < 10 * 16000, qPrintable(QString::number(info.frames)));
        DecodeOptions keep{0, 600, 0};
        const AudioBuffer a = loadAudio(QFile::encodeName(cut).toStdString(), keep);
        QCOMPARE(qint64(a.samples.size()), qint64(info.frames));
        QVERIFY(a.durationSeconds() > 1.0 && a.durationSeconds() < 10.0);
        // Cut where libsndfile decodes nothing at all (half of this stream, or the first page only): "truncated".
        for (int size : {int(bytes.size() / 2), 200}) {
            const QString stub = file(QString("stub%1.ogg").arg(size));
            QVERIFY(writeBytes(stub, bytes.left(size)));
            const AudioError e = errorOf(stub);
            QVERIFY2(!QString(e.what()).contains("too long"), e.what());
            QVERIFY2(QString(e.what()).startsWith(stub + ": "), e.what());
            if (size == 200) continue; // the first page alone may not even open as OGG/Vorbis
            QVERIFY2(QString(e.what()).contains("truncated"), e.what());
        }
    }

    void hugeFileIsJudgedByItsHeader()
    {
        // 2 GiB on disk (sparse), a header that claims 18.6 hours at 16 kHz.
        const QString path = file("huge.wav");
        QVERIFY(writeBytes(path, wavHeader(16000, 1, 0x7fffff00u)));
        QVERIFY(::truncate(QFile::encodeName(path).constData(), 0x7fffff00LL + 44) == 0);
        const long before = vmHwmKb();
        expectLoadError(path, AudioErrorKind::TooLong, "too long (");
        QVERIFY(vmHwmKb() - before < 64 * 1024); // refused from the header, not after reading 2 GiB
        DecodeOptions d{16000, 600, 0};
        QVERIFY_THROWS_EXCEPTION(AudioError, AudioStreamReader(QFile::encodeName(path).toStdString(), d));
    }

    void lengthLimitMustBeFinite()
    {
        const QString path = file("sine.wav");
        QVERIFY(writeFloatWav(path, 16000, sine(16000, 1.0)));
        const std::string p = QFile::encodeName(path).toStdString();
        // 1e300 s: no float -> integer overflow (was undefined behaviour), simply no practical limit.
        QCOMPARE(loadAudio(p, DecodeOptions{0, 1e300, 0}).samples.size(), std::size_t(16000));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, loadAudio(p, DecodeOptions{0, -1, 0})); // no longer "unlimited"
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 loadAudio(p, DecodeOptions{0, std::numeric_limits<double>::quiet_NaN(), 0}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 loadAudio(p, DecodeOptions{0, std::numeric_limits<double>::infinity(), 0}));
        for (const char* bad : {"-1", "nan", "inf"}) {
            const testdata::CliRun r =
                testdata::runCli({"timeline", path, "--model", testdata::bundledModel(), "--max-seconds", bad});
            QVERIFY2(r.exitCode == 2, bad);
            QVERIFY2(QString::fromUtf8(r.err).count('\n') == 1, r.err.constData());
            QVERIFY2(r.err.contains("max"), r.err.constData());
        }
    }

    void timelineWindowMustBeFinite()
    {
        const auto model = Classifier::load(QFile::encodeName(testdata::bundledModel()).toStdString());
        const AudioBuffer a{sine(16000, 3.0), 16000};
        for (double w : {std::numeric_limits<double>::infinity(), 1e300, std::numeric_limits<double>::quiet_NaN()}) {
            TimelineOptions o;
            o.windowSeconds = w;
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, model->timeline(a, o)); // was a float -> size_t UB cast
        }
        const QString path = file("sine3.wav");
        QVERIFY(writeFloatWav(path, 16000, a.samples));
        const testdata::CliRun r =
            testdata::runCli({"timeline", path, "--model", testdata::bundledModel(), "--window", "inf"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromUtf8(r.err).count('\n') == 1, r.err.constData());
    }

    void nonFiniteSamplesAreNamed_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("all NaN") << "nan" << "non-finite sample (NaN) at 0.000 s";
        QTest::newRow("all Inf") << "inf" << "non-finite sample (Inf) at 0.000 s";
        QTest::newRow("one NaN in a sine") << "one" << "non-finite sample (NaN) at 0.5";
        QTest::newRow("1e30") << "huge" << "far outside full scale";
    }
    void nonFiniteSamplesAreNamed()
    {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        std::vector<float> x = sine(16000, 1.0);
        if (kind == "nan") std::fill(x.begin(), x.end(), std::numeric_limits<float>::quiet_NaN());
        if (kind == "inf") std::fill(x.begin(), x.end(), std::numeric_limits<float>::infinity());
        if (kind == "one") x[8000] = std::numeric_limits<float>::quiet_NaN();
        if (kind == "huge")
            for (std::size_t i = 0; i < x.size(); ++i) x[i] = (i % 2 ? 1e30f : -1e30f);
        const QString path = file("bad_" + kind + ".wav");
        QVERIFY(writeFloatWav(path, 16000, x));
        expectLoadError(path, AudioErrorKind::BadSamples, reason);
        // Before: "ps 0.467" / all-NaN probabilities labelled "angry", exit 0.
        expectCliRefusal({"classify", path, "--model", testdata::bundledModel()}, path, reason);
        expectCliRefusal({"timeline", path, "--model", testdata::bundledModel(), "--csv"}, path, reason);
    }

    void tooShortToAnalyze()
    {
        const auto model = Classifier::load(QFile::encodeName(testdata::bundledModel()).toStdString());
        for (int n : {1, 28}) {
            const QString path = file(QString("short%1.wav").arg(n));
            QVERIFY(writeFloatWav(path, 16000, std::vector<float>(std::size_t(n), 0.1f)));
            try {
                model->judgeFile(QFile::encodeName(path).toStdString());
                QFAIL("a file of a few samples was classified");
            } catch (const AudioError& e) {
                QCOMPARE(e.kind(), AudioErrorKind::TooShort);
                QVERIFY2(QString(e.what()).contains("too short to analyze") && QString(e.what()).contains("minimum 30 ms"),
                         e.what());
            }
            expectCliRefusal({"classify", path, "--model", testdata::bundledModel()}, path, "too short to analyze");
        }
        // Plain decoding still gives the samples (a minimum is the analysis's rule, not the decoder's).
        QCOMPARE(loadAudio(QFile::encodeName(file("short28.wav")).toStdString(), DecodeOptions{0, 0, 0}).samples.size(),
                 std::size_t(28));
    }

    void truncatedMp3IsOneLineFromUs()
    {
        const QString whole = file("whole.mp3");
        if (!writeFloatWav(whole, 16000, sine(16000, 5.0), SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III))
            QSKIP("libsndfile cannot write MP3 here");
        QFile in(whole);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray bytes = in.readAll();
        const QString cut = file("cut.mp3");
        QVERIFY(writeBytes(cut, bytes.left(bytes.size() * 2 / 3)));
        // libmpg123 printed "Warning: Xing stream size off by more than 1%..." twice on the terminal.
        expectLoadError(cut, AudioErrorKind::ReadFailed, "damaged or truncated MP3 stream (libmpg123: ");
        expectCliRefusal({"classify", cut, "--model", testdata::bundledModel()}, cut, "truncated MP3");
        // The whole file still decodes, and stderr works again afterwards (the capture is undone).
        QCOMPARE(loadAudio(QFile::encodeName(whole).toStdString(), DecodeOptions{0, 0, 0}).samples.size(),
                 std::size_t(5 * 16000));
    }

    void unconvertibleRateBlamesTheConversion()
    {
        // 7 Hz -> 16 kHz is outside the resampler's 1/256..256 ratios: the file is fine, the conversion is not.
        const QString path = file("rate7.wav");
        QVERIFY(writeFloatWav(path, 7, std::vector<float>(70, 0.1f)));
        const AudioError e = errorOf(path, DecodeOptions{16000, 600, 0});
        const QString what = e.what();
        QVERIFY2(what.startsWith(path + ": "), qPrintable(what));
        QVERIFY2(what.contains("sample rate of 7 Hz cannot be converted to the 16000 Hz the analysis needs"), qPrintable(what));
        DecodeOptions d{16000, 0, 0};
        QVERIFY_THROWS_EXCEPTION(AudioError, AudioStreamReader(QFile::encodeName(path).toStdString(), d));
        expectCliRefusal({"classify", path, "--model", testdata::bundledModel()}, path, "cannot be converted");
    }
};

QTEST_GUILESS_MAIN(TestHostileAudio)
#include "test_hostile_audio.moc"
