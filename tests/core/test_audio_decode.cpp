// SPDX-License-Identifier: GPL-3.0-or-later
// Decoding, downmixing and resampling on fixtures written here with libsndfile from known signals, and every
// kind of bad input with its AudioErrorKind and the path in the message.
#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"
#include "audio/Resampler.h"
#include "audio/WavWriter.h"

#include <QDataStream>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <cmath>
#include <numbers>
#include <random>

using namespace emoscope;

namespace {

double tone(double freq, double rate, long long i, double amp = 0.5)
{
    return amp * std::sin(2.0 * std::numbers::pi * freq * double(i) / rate);
}

// Writes interleaved frames with libsndfile; false (with a warning) if libsndfile refuses.
bool writeFixture(const QString& path, int format, int rate, int channels, const std::vector<float>& interleaved)
{
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    if (!sf_format_check(&info)) {
        qWarning("libsndfile cannot write format 0x%x", format);
        return false;
    }
    SNDFILE* f = sf_open(path.toLocal8Bit().constData(), SFM_WRITE, &info);
    if (!f) {
        qWarning("sf_open(%s): %s", qPrintable(path), sf_strerror(nullptr));
        return false;
    }
    const sf_count_t frames = sf_count_t(interleaved.size()) / channels;
    const bool ok = sf_writef_float(f, interleaved.data(), frames) == frames;
    return sf_close(f) == 0 && ok;
}

std::vector<float> monoTone(double freq, int rate, long long n, double amp = 0.5)
{
    std::vector<float> x(static_cast<std::size_t>(n));
    for (long long i = 0; i < n; ++i)
        x[std::size_t(i)] = float(tone(freq, rate, i, amp));
    return x;
}

bool libsndfileHasMajor(int major)
{
    int count = 0;
    sf_command(nullptr, SFC_GET_FORMAT_MAJOR_COUNT, &count, sizeof count);
    for (int i = 0; i < count; ++i) {
        SF_FORMAT_INFO info{};
        info.format = i;
        sf_command(nullptr, SFC_GET_FORMAT_MAJOR, &info, sizeof info);
        if (info.format == major)
            return true;
    }
    return false;
}

// Dominant frequency by zero crossings over the middle of the signal (edges excluded: resampler transients).
double zeroCrossingFrequency(const std::vector<float>& x, int rate)
{
    const std::size_t lo = x.size() / 10, hi = x.size() - x.size() / 10;
    long long first = -1, last = -1, crossings = 0;
    for (std::size_t i = lo + 1; i < hi; ++i) {
        if ((x[i - 1] < 0) != (x[i] < 0)) {
            if (first < 0)
                first = (long long)i;
            last = (long long)i;
            ++crossings;
        }
    }
    if (crossings < 2)
        return 0;
    return double(crossings - 1) / 2.0 / (double(last - first) / rate);
}

double rms(const std::vector<float>& x, std::size_t lo, std::size_t hi)
{
    double s = 0;
    for (std::size_t i = lo; i < hi; ++i)
        s += double(x[i]) * x[i];
    return std::sqrt(s / double(hi - lo));
}

// Runs f, which must throw AudioError of `kind` whose message starts with the path and is one line.
template <typename F>
void expectError(F&& f, AudioErrorKind kind, const QString& path)
{
    try {
        f();
        QFAIL(qPrintable("no AudioError for " + path));
    } catch (const AudioError& e) {
        const std::string what = e.what();
        QVERIFY2(e.kind() == kind, qPrintable(QString("%1: kind '%2', expected '%3'")
                                                  .arg(what.c_str(), toString(e.kind()), toString(kind))));
        QCOMPARE(QString::fromStdString(e.path()), path);
        QVERIFY2(what.rfind(path.toStdString() + ": ", 0) == 0, what.c_str());
        QVERIFY2(what.find('\n') == std::string::npos, what.c_str());
        QVERIFY(what.size() > std::size_t(path.size()) + 3); // a reason follows the path
    }
}

} // namespace

class TestAudioDecode : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString file(const QString& name) const { return dir_.filePath(name); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    // Each PCM/float WAV and FLAC encoding decodes to the written signal within two quantisation steps
    // (libsndfile scales by 2^(b-1)-1 when writing and by 2^(b-1) when reading, so up to 1.5 steps apart).
    void encodings_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("encoding");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("wav u8") << int(SF_FORMAT_WAV | SF_FORMAT_PCM_U8) << "PCM_U8" << 2.0 / 128;
        QTest::newRow("wav 16") << int(SF_FORMAT_WAV | SF_FORMAT_PCM_16) << "PCM_16" << 2.0 / 32768;
        QTest::newRow("wav 24") << int(SF_FORMAT_WAV | SF_FORMAT_PCM_24) << "PCM_24" << 2.0 / 8388608;
        QTest::newRow("wav 32") << int(SF_FORMAT_WAV | SF_FORMAT_PCM_32) << "PCM_32" << 1e-7; // float precision, not the 32-bit step
        QTest::newRow("wav float") << int(SF_FORMAT_WAV | SF_FORMAT_FLOAT) << "FLOAT" << 0.0;
        QTest::newRow("wav double") << int(SF_FORMAT_WAV | SF_FORMAT_DOUBLE) << "DOUBLE" << 0.0;
        QTest::newRow("flac 16") << int(SF_FORMAT_FLAC | SF_FORMAT_PCM_16) << "PCM_16" << 2.0 / 32768;
        QTest::newRow("flac 24") << int(SF_FORMAT_FLAC | SF_FORMAT_PCM_24) << "PCM_24" << 2.0 / 8388608;
        QTest::newRow("aiff 16") << int(SF_FORMAT_AIFF | SF_FORMAT_PCM_16) << "PCM_16" << 2.0 / 32768;
    }

    void encodings()
    {
        QFETCH(int, format);
        QFETCH(QString, encoding);
        QFETCH(double, tolerance);
        const int rate = 16000;
        const std::vector<float> x = monoTone(441.0, rate, 8000, 0.7);
        const QString path = file(QString("enc_%1.%2").arg(QTest::currentDataTag()).arg("snd").replace(' ', '_'));
        QVERIFY(writeFixture(path, format, rate, 1, x));

        const AudioInfo info = probeAudio(path.toStdString());
        QCOMPARE(QString::fromStdString(info.encoding), encoding);
        QCOMPARE(info.sampleRate, rate);
        QCOMPARE(info.channels, 1);
        QCOMPARE(info.frames, 8000LL);
        QCOMPARE(info.durationSeconds(), 0.5);

        const AudioBuffer a = loadAudio(path.toStdString(), DecodeOptions{0, 600});
        QCOMPARE(a.sampleRate, rate);
        QCOMPARE(a.samples.size(), x.size());
        double worst = 0;
        for (std::size_t i = 0; i < x.size(); ++i)
            worst = std::max(worst, std::fabs(double(a.samples[i]) - x[i]));
        QVERIFY2(worst <= tolerance, qPrintable(QString("max error %1 > %2").arg(worst).arg(tolerance)));
    }

    void containerNames()
    {
        const std::vector<float> x = monoTone(300, 8000, 800);
        QVERIFY(writeFixture(file("c.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, x));
        QVERIFY(writeFixture(file("c.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 8000, 1, x));
        QCOMPARE(probeAudio(file("c.wav").toStdString()).format, std::string("WAV"));
        QCOMPARE(probeAudio(file("c.flac").toStdString()).format, std::string("FLAC"));
    }

    // Lossy codecs: the tone keeps its frequency and level; lengths are within the codec's padding.
    void lossy_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("container");
        QTest::addColumn<QString>("encoding");
        QTest::newRow("ogg vorbis") << int(SF_FORMAT_OGG | SF_FORMAT_VORBIS) << "OGG" << "VORBIS";
        QTest::newRow("ogg opus") << int(SF_FORMAT_OGG | SF_FORMAT_OPUS) << "OGG" << "OPUS";
        QTest::newRow("mp3") << int(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III) << "MPEG" << "MPEG_LAYER_III";
    }

    void lossy()
    {
        QFETCH(int, format);
        QFETCH(QString, container);
        QFETCH(QString, encoding);
        // This libsndfile lists the container: then it must work (Debian 12's 1.2.0 has OGG and MPEG).
        QVERIFY2(libsndfileHasMajor(format & SF_FORMAT_TYPEMASK), "libsndfile lacks this container");
        const int rate = 48000;
        const std::vector<float> x = monoTone(1000.0, rate, rate, 0.5);
        const QString path = file("lossy_" + QString(QTest::currentDataTag()).replace(' ', '_'));
        QVERIFY(writeFixture(path, format, rate, 1, x));

        const AudioInfo info = probeAudio(path.toStdString());
        QCOMPARE(QString::fromStdString(info.format), container);
        QCOMPARE(QString::fromStdString(info.encoding), encoding);
        QCOMPARE(info.sampleRate, rate);

        const AudioBuffer a = loadAudio(path.toStdString(), DecodeOptions{0, 600});
        QCOMPARE(a.sampleRate, rate);
        QVERIFY2(std::llabs((long long)a.samples.size() - rate) <= 4096,
                 qPrintable(QString("decoded %1 samples of %2").arg(a.samples.size()).arg(rate)));
        const double f = zeroCrossingFrequency(a.samples, rate);
        QVERIFY2(std::fabs(f - 1000.0) < 5.0, qPrintable(QString("frequency %1").arg(f)));
        const double level = rms(a.samples, a.samples.size() / 4, a.samples.size() * 3 / 4);
        QVERIFY2(std::fabs(level - 0.5 / std::sqrt(2.0)) < 0.03, qPrintable(QString("rms %1").arg(level)));

        // And through the resampler to 22,050 Hz.
        const AudioBuffer r = loadAudio(path.toStdString());
        QCOMPARE(r.sampleRate, 22050);
        QCOMPARE(qint64(r.samples.size()), qint64(std::llround(double(a.samples.size()) * 22050 / rate)));
        QVERIFY(std::fabs(zeroCrossingFrequency(r.samples, 22050) - 1000.0) < 5.0);
    }

    // Channels are averaged: channel c carries (c+1) * s / channels, so the mean is s * (channels+1) / (2*channels).
    void downmix_data()
    {
        QTest::addColumn<int>("channels");
        QTest::newRow("stereo") << 2;
        QTest::newRow("6 channels") << 6;
    }

    void downmix()
    {
        QFETCH(int, channels);
        const int rate = 8000;
        const std::vector<float> s = monoTone(250, rate, 4000, 0.8);
        std::vector<float> interleaved(s.size() * std::size_t(channels));
        for (std::size_t i = 0; i < s.size(); ++i)
            for (int c = 0; c < channels; ++c)
                interleaved[i * std::size_t(channels) + std::size_t(c)] = s[i] * float(c + 1) / float(channels);
        const QString path = file(QString("mix%1.wav").arg(channels));
        QVERIFY(writeFixture(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, rate, channels, interleaved));
        QCOMPARE(probeAudio(path.toStdString()).channels, channels);

        const AudioBuffer a = loadAudio(path.toStdString(), DecodeOptions{0, 600});
        QCOMPARE(a.samples.size(), s.size());
        const double gain = double(channels + 1) / (2.0 * channels);
        for (std::size_t i = 0; i < s.size(); ++i)
            QVERIFY(std::fabs(a.samples[i] - s[i] * gain) < 1e-6);

        // Opposite-phase stereo cancels: averaging, not picking a channel.
        if (channels == 2) {
            std::vector<float> opposite(s.size() * 2);
            for (std::size_t i = 0; i < s.size(); ++i) {
                opposite[2 * i] = s[i];
                opposite[2 * i + 1] = -s[i];
            }
            QVERIFY(writeFixture(file("opposite.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT, rate, 2, opposite));
            const AudioBuffer o = loadAudio(file("opposite.wav").toStdString(), DecodeOptions{0, 600});
            for (float v : o.samples)
                QCOMPARE(v, 0.0f);
        }
    }

    // Resampled to 22,050 Hz: exact length, same frequency, same waveform (libsamplerate adds no delay).
    void resampling_data()
    {
        QTest::addColumn<int>("rate");
        for (int r : {8000, 16000, 22050, 24414, 44100, 48000, 96000})
            QTest::newRow(qPrintable(QString::number(r))) << r;
    }

    void resampling()
    {
        QFETCH(int, rate);
        const double freq = 1000.0;
        const long long n = rate + 123; // not a whole number of output samples
        const std::vector<float> x = monoTone(freq, rate, n, 0.5);
        const QString path = file(QString("rate%1.wav").arg(rate));
        QVERIFY(writeFixture(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, rate, 1, x));

        const AudioBuffer a = loadAudio(path.toStdString()); // default target 22,050
        QCOMPARE(a.sampleRate, 22050);
        const long long expected = (n * 22050 + rate / 2) / rate; // round(n * 22050 / rate)
        QCOMPARE((long long)a.samples.size(), expected);
        const double f = zeroCrossingFrequency(a.samples, 22050);
        QVERIFY2(std::fabs(f - freq) < 1.0, qPrintable(QString("frequency %1").arg(f)));
        // Away from the edges, the output is the same sine sampled at 22,050 Hz.
        double worst = 0;
        for (std::size_t i = 1000; i + 1000 < a.samples.size(); ++i)
            worst = std::max(worst, std::fabs(a.samples[i] - tone(freq, 22050, (long long)i, 0.5)));
        QVERIFY2(worst < 1e-5, qPrintable(QString("max deviation from the ideal sine %1").arg(worst)));
    }

    // resample() (FFT form) against libsamplerate SINC_BEST, an independent implementation of the same specification:
    // the same waveform to within the transition-band difference, and the same spectrum below it.
    void resamplerMatchesLibsamplerate_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to");
        for (auto [from, to] : std::vector<std::pair<int, int>>{
                 {24414, 22050}, {96000, 22050}, {44100, 22050}, {48000, 22050}, {8000, 22050}, {22050, 16000}})
            QTest::newRow(qPrintable(QString("%1->%2").arg(from).arg(to))) << from << to;
    }

    void resamplerMatchesLibsamplerate()
    {
        QFETCH(int, from);
        QFETCH(int, to);
        // Broadband test signal: noise (seeded) plus tones, 1.3 s.
        std::mt19937 rng(42);
        std::normal_distribution<float> noise(0.0f, 0.1f);
        std::vector<float> x(std::size_t(from * 13 / 10));
        for (std::size_t i = 0; i < x.size(); ++i)
            x[i] = noise(rng) + float(tone(440, from, (long long)i, 0.3) + tone(2500, from, (long long)i, 0.2));
        const std::vector<float> fast = resample(x.data(), x.size(), from, to);
        const std::vector<float> ref = resampleLibsamplerate(x.data(), x.size(), from, to);
        QCOMPARE(fast.size(), ref.size());
        // The two roll-offs above 94 % of the lower Nyquist differ slightly, so broadband signals are compared by
        // energy, and in-band tones sample by sample (against libsamplerate and against the ideal sine).
        double err = 0, energy = 0;
        for (std::size_t i = 0; i < ref.size(); ++i) {
            err += double(fast[i] - ref[i]) * (fast[i] - ref[i]);
            energy += double(ref[i]) * ref[i];
        }
        const double snr = 10 * std::log10(energy / err);
        QVERIFY2(snr > 40, qPrintable(QString("fast vs libsamplerate SNR %1 dB").arg(snr)));
        qInfo("broadband: resample() vs libsamplerate SNR %.1f dB", snr);
        for (double f : {100.0, 1000.0, 0.9 * 0.5 * std::min(from, to)}) {
            const std::vector<float> t = monoTone(f, from, from / 2, 0.5);
            const std::vector<float> a = resample(t.data(), t.size(), from, to);
            const std::vector<float> b = resampleLibsamplerate(t.data(), t.size(), from, to);
            double worst = 0, worstIdeal = 0;
            for (std::size_t i = a.size() / 8; i < a.size() * 7 / 8; ++i) {
                worst = std::max(worst, std::fabs(double(a[i]) - b[i]));
                worstIdeal = std::max(worstIdeal, std::fabs(a[i] - tone(f, to, (long long)i, 0.5)));
            }
            QVERIFY2(worst < 1e-5, qPrintable(QString("%1 Hz: differs from libsamplerate by %2").arg(f).arg(worst)));
            QVERIFY2(worstIdeal < 1e-5, qPrintable(QString("%1 Hz: differs from the ideal by %2").arg(f).arg(worstIdeal)));
        }
    }

    void resampleLengths()
    {
        const std::vector<float> x(100000, 0.1f);
        for (int from : {8000, 11025, 22050, 24414, 44100, 48000, 96000}) {
            for (int to : {8000, 16000, 22050, 44100}) {
                for (std::size_t n : {std::size_t(1), std::size_t(2), std::size_t(7), std::size_t(1001),
                                      std::size_t(37574), std::size_t(100000)}) {
                    const auto y = resample(x.data(), n, from, to);
                    const std::size_t expected = std::size_t(std::llround(double(n) * to / from));
                    QCOMPARE(resampleLibsamplerate(x.data(), n, from, to).size(), expected);
                    QVERIFY2(y.size() == expected,
                             qPrintable(QString("%1 samples %2->%3: %4, expected %5")
                                            .arg(n).arg(from).arg(to).arg(y.size()).arg(expected)));
                }
            }
        }
        QCOMPARE(resample(x.data(), 5, 22050, 22050), std::vector<float>(5, 0.1f));
        // Awkward ratios (96001 is prime to 22050: one FFT block of 2 x 96001 samples) still work.
        const auto odd = resample(x.data(), 50000, 96001, 22050);
        QCOMPARE(odd.size(), std::size_t(std::llround(50000.0 * 22050 / 96001)));
        QVERIFY(std::fabs(odd[odd.size() / 2] - 0.1f) < 1e-4f); // a constant stays constant
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, resample(x.data(), 10, 7, 96000)); // beyond 256x
        QVERIFY(resample(x.data(), 0, 44100, 22050).empty());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, resample(x.data(), 5, 0, 22050));
    }

    void maxSeconds()
    {
        const std::vector<float> x = monoTone(440, 8000, 8000); // 1 s
        const QString path = file("one_second.wav");
        QVERIFY(writeFixture(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, x));
        expectError([&] { loadAudio(path.toStdString(), DecodeOptions{0, 0.5}); }, AudioErrorKind::TooLong, path);
        QCOMPARE(loadAudio(path.toStdString(), DecodeOptions{0, 1.0}).samples.size(), x.size()); // limit inclusive
        QCOMPARE(loadAudio(path.toStdString(), DecodeOptions{0, 0}).samples.size(), x.size());   // 0: no limit
        // The header is enough to refuse: probe still works on a file loadAudio rejects.
        QCOMPARE(probeAudio(path.toStdString()).frames, 8000LL);
    }

    void badInputs()
    {
        const QString missing = file("does_not_exist.wav");
        expectError([&] { loadAudio(missing.toStdString()); }, AudioErrorKind::NotFound, missing);
        expectError([&] { probeAudio(missing.toStdString()); }, AudioErrorKind::NotFound, missing);
        const QString missingDir = file("no_such_folder/x.wav");
        expectError([&] { loadAudio(missingDir.toStdString()); }, AudioErrorKind::NotFound, missingDir);

        const QString folder = file("folder.wav");
        QVERIFY(QDir().mkpath(folder));
        expectError([&] { loadAudio(folder.toStdString()); }, AudioErrorKind::NotAFile, folder);
        expectError([&] { probeAudio(folder.toStdString()); }, AudioErrorKind::NotAFile, folder);

        // A 0-byte file and a valid header with no samples are both "empty".
        const QString empty = file("empty.wav");
        { QFile f(empty); QVERIFY(f.open(QIODevice::WriteOnly)); }
        expectError([&] { loadAudio(empty.toStdString()); }, AudioErrorKind::Empty, empty);
        expectError([&] { probeAudio(empty.toStdString()); }, AudioErrorKind::Empty, empty);
        const QString headerOnly = file("header_only.wav");
        QVERIFY(writeFixture(headerOnly, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 22050, 1, {}));
        QVERIFY(QFileInfo(headerOnly).size() > 0);
        expectError([&] { loadAudio(headerOnly.toStdString()); }, AudioErrorKind::Empty, headerOnly);

        const QString text = file("notes.wav");
        {
            QFile f(text);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("These are my meeting notes, not a recording.\nSecond line.\n");
        }
        expectError([&] { loadAudio(text.toStdString()); }, AudioErrorKind::NotAudio, text);
        expectError([&] { probeAudio(text.toStdString()); }, AudioErrorKind::NotAudio, text);

        // Cut inside the header: not usable audio.
        const std::vector<float> x = monoTone(440, 8000, 8000);
        const QString full = file("full.wav");
        QVERIFY(writeFixture(full, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, x));
        QFile src(full);
        QVERIFY(src.open(QIODevice::ReadOnly));
        const QByteArray bytes = src.readAll();
        const QString cutHeader = file("cut_header.wav");
        {
            QFile f(cutHeader);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes.left(20));
        }
        expectError([&] { loadAudio(cutHeader.toStdString()); }, AudioErrorKind::NotAudio, cutHeader);

        // A WAV whose codec libsndfile cannot decode (AC-3, tag 0x2000): a known container, an unsupported encoding.
        const QString ac3 = file("ac3.wav");
        {
            QByteArray fmt;
            QDataStream fs(&fmt, QIODevice::WriteOnly);
            fs.setByteOrder(QDataStream::LittleEndian);
            fs << quint16(0x2000) << quint16(2) << quint32(48000) << quint32(24000) << quint16(4) << quint16(0)
               << quint16(0);
            const QByteArray data(2000, '\x55');
            QByteArray riff;
            QDataStream rs(&riff, QIODevice::WriteOnly);
            rs.setByteOrder(QDataStream::LittleEndian);
            rs.writeRawData("RIFF", 4);
            rs << quint32(4 + 8 + fmt.size() + 8 + data.size());
            rs.writeRawData("WAVEfmt ", 8);
            rs << quint32(fmt.size());
            rs.writeRawData(fmt.constData(), int(fmt.size()));
            rs.writeRawData("data", 4);
            rs << quint32(data.size());
            rs.writeRawData(data.constData(), int(data.size()));
            QFile f(ac3);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(riff);
        }
        expectError([&] { loadAudio(ac3.toStdString()); }, AudioErrorKind::UnsupportedEncoding, ac3);

        // Cut inside the data: the samples that are there decode (libsndfile trusts the file size), exactly.
        const QString cutData = file("cut_data.wav");
        {
            QFile f(cutData);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes.left(44 + 2 * 3000));
        }
        const AudioBuffer part = loadAudio(cutData.toStdString(), DecodeOptions{0, 600});
        QCOMPARE(part.samples.size(), std::size_t(3000));
        for (std::size_t i = 0; i < part.samples.size(); ++i)
            QVERIFY(std::fabs(part.samples[i] - x[i]) <= 2.0 / 32768);
    }

    void writerRoundTrip()
    {
        const std::vector<float> x = monoTone(523.25, 22050, 11025, 0.9);
        const QString pcm = file("written16.wav"), flt = file("written_float.wav");
        writeWavAtomic(pcm.toStdString(), x.data(), x.size(), 22050);
        writeWavAtomic(flt.toStdString(), x.data(), x.size(), 22050, true);
        QCOMPARE(probeAudio(pcm.toStdString()).encoding, std::string("PCM_16"));
        QCOMPARE(probeAudio(flt.toStdString()).encoding, std::string("FLOAT"));
        const AudioBuffer a = loadAudio(pcm.toStdString()), b = loadAudio(flt.toStdString());
        QCOMPARE(a.samples.size(), x.size());
        for (std::size_t i = 0; i < x.size(); ++i) {
            QVERIFY(std::fabs(a.samples[i] - x[i]) <= 2.0 / 32768);
            QCOMPARE(b.samples[i], x[i]);
        }
        // Out-of-range floats clip in 16-bit instead of wrapping round.
        const std::vector<float> loud{1.5f, -1.5f, 0.25f};
        writeWavAtomic(pcm.toStdString(), loud.data(), loud.size(), 8000);
        const AudioBuffer c = loadAudio(pcm.toStdString(), DecodeOptions{0, 600});
        QVERIFY(c.samples[0] > 0.99f);
        QVERIFY(c.samples[1] < -0.99f);
        QCOMPARE(QDir(dir_.path()).entryList({"*.tmp*", ".*.tmp.*"}, QDir::Files | QDir::Hidden).size(), 0);

        const QString bad = file("no_such_folder/out.wav");
        expectError([&] { writeWavAtomic(bad.toStdString(), x.data(), x.size(), 22050); },
                    AudioErrorKind::WriteFailed, bad);
    }
};

QTEST_GUILESS_MAIN(TestAudioDecode)
#include "test_audio_decode.moc"
