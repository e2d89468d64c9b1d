// SPDX-License-Identifier: GPL-3.0-or-later
// Log-mel front end against the golden reference (torchaudio/librosa defaults, computed independently):
// mel power within 1e-4 x the clip's maximum, dB within 0.01 dB, for the library and for `emoscope-cli spectrogram`.
#include "TestData.h"

#include "audio/AudioDecoder.h"
#include "dsp/FeatureConfig.h"
#include "dsp/LogMelExtractor.h"
#include "dsp/MelFilterbank.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace emoscope;

namespace {

const QStringList kClips{"chirp",     "tone_noise",          "impulse",            "short_300",
                         "silence",   "tess_OAF_back_angry", "tess_OAF_food_fear", "tess_YAF_dog_happy"};

std::vector<float> readF32(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    std::vector<float> v(std::size_t(bytes.size()) / sizeof(float));
    std::memcpy(v.data(), bytes.constData(), v.size() * sizeof(float));
    return v;
}

QJsonObject params()
{
    QFile f(testdata::goldenDir() + "/params.json");
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b)
{
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::fabs(double(a[i]) - double(b[i])));
    return worst;
}

} // namespace

class TestDspGolden : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(testdata::goldenDir() + "/params.json"),
                 qPrintable("golden data missing: " + testdata::goldenDir()));
        const QJsonObject p = params();
        // The reference was made with exactly the defaults of FeatureConfig.
        const FeatureConfig c;
        QCOMPARE(p["sample_rate"].toInt(), c.sampleRate);
        QCOMPARE(p["n_fft"].toInt(), c.nFft);
        QCOMPARE(p["win_length"].toInt(), c.winLength);
        QCOMPARE(p["hop_length"].toInt(), c.hopLength);
        QCOMPARE(p["n_mels"].toInt(), c.nMels);
        QCOMPARE(p["fmax"].toDouble(), c.effectiveFMax());
        QCOMPARE(p["clips"].toObject().size(), kClips.size());
    }

    void library_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString& n : kClips)
            QTest::newRow(qPrintable(n)) << n;
    }

    void library()
    {
        QFETCH(QString, name);
        const QString base = testdata::goldenDir() + "/" + name;
        const QJsonObject clip = params()["clips"].toObject()[name].toObject();
        const FeatureConfig config;

        const AudioBuffer audio = loadAudio((base + ".wav").toStdString(), DecodeOptions{config.sampleRate, 600.0});
        QCOMPARE(audio.sampleRate, 22050);
        QCOMPARE(qint64(audio.samples.size()), qint64(clip["samples"].toInt()));

        const LogMelExtractor extractor(config);
        const MelMatrix mel = extractor.melPower(audio.samples.data(), audio.samples.size());
        QCOMPARE(mel.nMels, clip["n_mels"].toInt());
        QCOMPARE(mel.frames, clip["frames"].toInt());
        QCOMPARE(config.framesFor(qint64(audio.samples.size())), qint64(clip["frames"].toInt()));

        const std::vector<float> goldenMel = readF32(base + ".mel.f32");
        QCOMPARE(goldenMel.size(), mel.data.size());
        const double peak = *std::max_element(goldenMel.begin(), goldenMel.end());
        const double melErr = maxAbsDiff(mel.data, goldenMel);
        if (peak > 0) {
            QVERIFY2(melErr <= 1e-4 * peak, qPrintable(QString("mel error %1 > 1e-4 x max %2").arg(melErr).arg(peak)));
        } else {
            QCOMPARE(melErr, 0.0); // silence: exactly zero power everywhere
        }

        const MelMatrix db = extractor.logMel(audio.samples.data(), audio.samples.size());
        const std::vector<float> goldenDb = readF32(base + ".db.f32");
        QCOMPARE(goldenDb.size(), db.data.size());
        const double dbErr = maxAbsDiff(db.data, goldenDb);
        QVERIFY2(dbErr <= 0.01, qPrintable(QString("dB error %1 > 0.01").arg(dbErr)));
        qInfo("%s: mel max error %.3g x max, dB max error %.4f dB", qPrintable(name), peak > 0 ? melErr / peak : melErr,
              dbErr);

        // powerToDb on the power matrix is the same as logMel.
        MelMatrix again = mel;
        LogMelExtractor::powerToDb(again, config.amin, config.topDb);
        QCOMPARE(again.data, db.data);
    }

    void cliSpectrogramDb_data() { library_data(); }

    void cliSpectrogramDb()
    {
        QFETCH(QString, name);
        QVERIFY2(!testdata::cliPath().isEmpty(), "EMOSCOPE_CLI not set");
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString out = tmp.filePath(name + ".db.f32");
        QProcess p;
        p.start(testdata::cliPath(),
                {"spectrogram", testdata::goldenDir() + "/" + name + ".wav", "--out", out, "--db"});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QJsonObject shape = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        const QJsonObject clip = params()["clips"].toObject()[name].toObject();
        QCOMPARE(shape["n_mels"].toInt(), 128);
        QCOMPARE(shape["frames"].toInt(), clip["frames"].toInt());
        QCOMPARE(shape["sample_rate"].toInt(), 22050);

        const std::vector<float> golden = readF32(testdata::goldenDir() + "/" + name + ".db.f32");
        const std::vector<float> got = readF32(out);
        QCOMPARE(got.size(), golden.size());
        const double err = maxAbsDiff(got, golden);
        QVERIFY2(err <= 0.01, qPrintable(QString("CLI dB error %1 > 0.01").arg(err)));
    }

    // An independent check of the filterbank construction: Slaney triangles with area normalisation.
    void filterbankShape()
    {
        const FeatureConfig c;
        const MelFilterbank fb(c);
        QCOMPARE(fb.nMels(), 128);
        QCOMPARE(fb.nBins(), 1025);
        // Slaney scale: linear below 1 kHz (200/3 Hz per mel), 1 kHz <-> mel 15; round trip.
        QCOMPARE(MelFilterbank::hzToMel(1000.0, true), 15.0);
        QCOMPARE(MelFilterbank::hzToMel(500.0, true), 7.5);
        for (double hz : {0.0, 123.4, 999.0, 1000.0, 4321.0, 11025.0})
            QVERIFY(std::fabs(MelFilterbank::melToHz(MelFilterbank::hzToMel(hz, true), true) - hz) < 1e-9);
        QVERIFY(std::fabs(MelFilterbank::hzToMel(1000.0, false) - 999.985) < 1e-2); // HTK: 1000 Hz ~ 1000 mel
        // Centres increase; weights are >= 0.
        const auto& centres = fb.centreFrequencies();
        QCOMPARE(int(centres.size()), 128);
        for (std::size_t i = 1; i < centres.size(); ++i)
            QVERIFY(centres[i] > centres[i - 1]);
        // Slaney norm makes each triangle integrate to 1 over Hz: sum_k w[k] * (sr/nFft) ~= 1 for filters wide
        // enough (many bins) that sampling the triangle on the bin grid does not matter.
        const double binHz = double(c.sampleRate) / c.nFft;
        for (int m : {100, 115, 127}) {
            double area = 0;
            for (int k = 0; k < fb.nBins(); ++k) {
                QVERIFY(fb.weight(m, k) >= 0.0f);
                area += fb.weight(m, k) * binHz;
            }
            QVERIFY2(std::fabs(area - 1.0) < 0.01, qPrintable(QString("mel %1 area %2").arg(m).arg(area)));
        }
        // apply() equals the dense product.
        std::vector<float> spectrum(1025);
        for (int k = 0; k < 1025; ++k)
            spectrum[std::size_t(k)] = float(1.0 + std::sin(0.01 * k));
        std::vector<float> out(128);
        fb.apply(spectrum.data(), out.data());
        for (int m = 0; m < 128; ++m) {
            double dense = 0;
            for (int k = 0; k < 1025; ++k)
                dense += double(fb.weight(m, k)) * spectrum[std::size_t(k)];
            QVERIFY(std::fabs(dense - out[std::size_t(m)]) <= 1e-6 * std::max(1.0, std::fabs(dense)));
        }
    }

    void framesFor()
    {
        FeatureConfig c;
        QCOMPARE(c.framesFor(0), 0LL);
        QCOMPARE(c.framesFor(1), 1LL);
        QCOMPARE(c.framesFor(511), 1LL);
        QCOMPARE(c.framesFor(512), 2LL);
        QCOMPARE(c.framesFor(44100), 87LL); // 1 + 44100 // 512
        c.center = false;
        QCOMPARE(c.framesFor(2047), 0LL);
        QCOMPARE(c.framesFor(2048), 1LL);
        QCOMPARE(c.framesFor(2048 + 511), 1LL);
        QCOMPARE(c.framesFor(2048 + 512), 2LL);
        const LogMelExtractor e(c);
        std::vector<float> x(3000, 0.25f);
        QCOMPARE(e.melPower(x.data(), x.size()).frames, 2);
        QCOMPARE(e.melPower(x.data(), 100).frames, 0);
    }

    void configJson()
    {
        FeatureConfig c;
        c.nMels = 64;
        c.hopLength = 256;
        c.fMin = 20;
        c.fMax = 8000;
        c.slaneyMelScale = false;
        c.slaneyNorm = false;
        c.center = false;
        c.topDb = 0;
        QCOMPARE(FeatureConfig::fromJson(c.toJson()), c);
        QCOMPARE(FeatureConfig::fromJson(FeatureConfig{}.toJson()), FeatureConfig{});
        QCOMPARE(FeatureConfig::fromJson("{}"), FeatureConfig{});            // missing fields keep defaults
        QCOMPARE(FeatureConfig::fromJson(R"({"n_mels": 40})").nMels, 40);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FeatureConfig::fromJson("not json"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FeatureConfig::fromJson("[1,2]"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FeatureConfig::fromJson(R"({"n_fft": "big"})"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FeatureConfig::fromJson(R"({"hop_length": 0})"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FeatureConfig::fromJson(R"({"win_length": 4096})"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FeatureConfig::fromJson(R"({"fmax": 20000})"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FeatureConfig::fromJson(R"({"mel_scale": "bark"})"));
        try {
            FeatureConfig::fromJson(R"({"n_mels": -3})");
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(std::string(e.what()).find("n_mels") != std::string::npos, e.what()); // names the field
        }
    }

    void powerToDbRules()
    {
        MelMatrix m(1, 4);
        m.data = {1.0f, 0.1f, 1e-12f, 0.0f};
        LogMelExtractor::powerToDb(m, 1e-10, 80.0);
        QCOMPARE(m.data[0], 0.0f);
        QVERIFY(std::fabs(m.data[1] + 10.0f) < 1e-5f);
        QCOMPARE(m.data[2], -80.0f); // -100 dB floored at max - 80
        QCOMPARE(m.data[3], -80.0f);
        MelMatrix r(1, 2);
        r.data = {1.0f, 0.01f};
        LogMelExtractor::powerToDb(r, 1e-10, 0.0, 10.0); // fixed reference, no floor
        QVERIFY(std::fabs(r.data[0] + 10.0f) < 1e-5f);
        QVERIFY(std::fabs(r.data[1] + 30.0f) < 1e-5f);
    }

    // The view's rule: librosa's everywhere except digital silence, which goes to the floor instead of 0 dB.
    void powerToDisplayDbRules()
    {
        MelMatrix silent(2, 3); // all zero
        MelMatrix asModel = silent;
        LogMelExtractor::powerToDb(asModel, 1e-10, 80.0);
        QCOMPARE(asModel.data.front(), 0.0f); // what the model reads: "as loud as the loudest"
        LogMelExtractor::powerToDisplayDb(silent, 1e-10, 80.0);
        for (float v : silent.data) QCOMPARE(v, -80.0f);
        MelMatrix noFloor(1, 2);
        LogMelExtractor::powerToDisplayDb(noFloor, 1e-10, 0.0);
        QCOMPARE(noFloor.data.front(), -80.0f);
        MelMatrix sound(1, 4);
        sound.data = {1.0f, 0.1f, 1e-12f, 0.0f};
        MelMatrix expected = sound;
        LogMelExtractor::powerToDb(expected, 1e-10, 80.0);
        LogMelExtractor::powerToDisplayDb(sound, 1e-10, 80.0);
        QCOMPARE(sound.data, expected.data);
        // displayLogMel of a real clip is logMel; of zeros, the floor.
        const LogMelExtractor extractor(FeatureConfig{});
        std::vector<float> tone(4096);
        for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = float(0.5 * std::sin(0.05 * double(i)));
        QCOMPARE(extractor.displayLogMel(tone.data(), tone.size()).data, extractor.logMel(tone.data(), tone.size()).data);
        const std::vector<float> zeros(4096, 0.0f);
        const MelMatrix dark = extractor.displayLogMel(zeros.data(), zeros.size());
        QVERIFY(!dark.data.empty());
        for (float v : dark.data) QCOMPARE(v, float(-FeatureConfig{}.topDb));
    }

    void matrixSliceAppend()
    {
        MelMatrix m(2, 3);
        m.data = {1, 2, 3, 4, 5, 6};
        const MelMatrix s = m.sliceFrames(1, 2);
        QCOMPARE(s.data, (std::vector<float>{2, 3, 5, 6}));
        MelMatrix a;
        a.appendFrames(m);
        a.appendFrames(s);
        QCOMPARE(a.frames, 5);
        QCOMPARE(a.data, (std::vector<float>{1, 2, 3, 2, 3, 4, 5, 6, 5, 6}));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, m.sliceFrames(2, 2));
    }
};

QTEST_GUILESS_MAIN(TestDspGolden)
#include "test_dsp_golden.moc"
