// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli as a user runs it: help, version, info, spectrogram output shape, and bad inputs
// (exit code 2 with exactly one stderr line naming the file).
#include "TestData.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out, err;
};

Run runCli(const QStringList& args)
{
    QProcess p;
    p.start(testdata::cliPath(), args);
    Run r;
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit) {
        p.kill();
        r.err = "did not finish normally";
        return r;
    }
    r.exitCode = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QStringList lines(const QString& text) { return text.split('\n', Qt::SkipEmptyParts); }

} // namespace

class TestCliBasic : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QVERIFY2(QFileInfo(testdata::cliPath()).isExecutable(), qPrintable("no CLI at " + testdata::cliPath()));
        QVERIFY2(QFile::exists(testdata::goldenDir() + "/chirp.wav"), qPrintable(testdata::goldenDir()));
    }

    void helpAndVersion()
    {
        const Run help = runCli({"--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("Usage: emoscope-cli"));
        for (const char* command : {"info", "spectrogram"})
            QVERIFY2(help.out.contains(QString("\n  %1 ").arg(command)), command);
        QCOMPARE(runCli({"info", "--help"}).exitCode, 0);
        QVERIFY(runCli({"spectrogram", "--help"}).out.contains("--out"));

        const Run version = runCli({"--version"});
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.out.trimmed(), QString("emoscope-cli " EMOSCOPE_VERSION));

        const Run none = runCli({});
        QCOMPARE(none.exitCode, 2);
        QVERIFY(none.err.contains("Usage"));
        const Run unknown = runCli({"frobnicate"});
        QCOMPARE(unknown.exitCode, 2);
        QCOMPARE(lines(unknown.err).size(), 1);
        QVERIFY(unknown.err.contains("frobnicate"));
    }

    void info()
    {
        const QString wav = testdata::goldenDir() + "/chirp.wav";
        const Run text = runCli({"info", wav});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("WAV"));
        QVERIFY(text.out.contains("FLOAT"));
        QVERIFY(text.out.contains("22050 Hz"));
        QVERIFY(text.out.contains("44100"));
        QVERIFY(text.out.contains("2.000 s"));

        const QString flac = testdata::tessDir() + "/OAF_angry/OAF_back_angry.flac";
        const Run json = runCli({"info", "--json", flac});
        QCOMPARE(json.exitCode, 0);
        QCOMPARE(lines(json.out).size(), 1);
        const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(o["format"].toString(), QString("FLAC"));
        QCOMPARE(o["encoding"].toString(), QString("PCM_16"));
        QCOMPARE(o["sample_rate"].toInt(), 24414); // as listed in manifest.csv
        QCOMPARE(o["channels"].toInt(), 1);
        QCOMPARE(o["frames"].toInteger(), 37574);
        QVERIFY(qAbs(o["duration_seconds"].toDouble() - 37574.0 / 24414) < 1e-9);
        QCOMPARE(o["path"].toString(), flac);
    }

    void spectrogramShape()
    {
        // A 24,414 Hz FLAC: resampled to 22,050 Hz (37574 -> 33936 samples), 1 + 33936 // 512 = 67 frames.
        const QString flac = testdata::tessDir() + "/OAF_angry/OAF_back_angry.flac";
        const QString out = dir_.filePath("back.f32"), png = dir_.filePath("back.png");
        const Run r = runCli({"spectrogram", flac, "--out", out, "--png", png});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(lines(r.out).size(), 1);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o["n_mels"].toInt(), 128);
        QCOMPARE(o["frames"].toInt(), 67);
        QCOMPARE(o["sample_rate"].toInt(), 22050);
        QCOMPARE(QFileInfo(out).size(), qint64(128) * 67 * 4);

        // The PNG: signature, IHDR with width = frames and height = mels.
        QFile f(png);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.startsWith(QByteArray("\x89PNG\r\n\x1a\n", 8)));
        QCOMPARE(bytes.mid(12, 4), QByteArray("IHDR"));
        auto be32 = [&](int at) {
            return (quint32(quint8(bytes[at])) << 24) | (quint32(quint8(bytes[at + 1])) << 16) |
                   (quint32(quint8(bytes[at + 2])) << 8) | quint32(quint8(bytes[at + 3]));
        };
        QCOMPARE(be32(16), 67u);
        QCOMPARE(be32(20), 128u);
        QVERIFY(bytes.endsWith(QByteArray("IEND\xae\x42\x60\x82", 8)));

        // Power and dB outputs differ, same shape; dB values lie in [-80, 0] with the maximum at 0.
        const QString db = dir_.filePath("back_db.f32");
        QCOMPARE(runCli({"spectrogram", flac, "--out", db, "--db"}).exitCode, 0);
        QFile d(db);
        QVERIFY(d.open(QIODevice::ReadOnly));
        const QByteArray dbBytes = d.readAll();
        QCOMPARE(dbBytes.size(), 128 * 67 * 4);
        const float* v = reinterpret_cast<const float*>(dbBytes.constData());
        float lo = 1e9f, hi = -1e9f;
        for (int i = 0; i < 128 * 67; ++i) {
            lo = std::min(lo, v[i]);
            hi = std::max(hi, v[i]);
        }
        QCOMPARE(hi, 0.0f);
        QVERIFY(lo >= -80.0f);

        // The PNG's pixels (inflated with Qt's zlib): magma of the dB value, highest mel on the top row.
        const int idat = bytes.indexOf("IDAT");
        QVERIFY(idat > 0);
        const int idatLength = int(be32(idat - 4));
        const int rowBytes = 67 * 3 + 1;
        QByteArray zlib;
        for (int shift : {24, 16, 8, 0})
            zlib.append(char((128 * rowBytes >> shift) & 0xff)); // qUncompress wants the size first
        zlib.append(bytes.mid(idat + 4, idatLength));
        const QByteArray raw = qUncompress(zlib);
        QCOMPARE(raw.size(), 128 * rowBytes);
        int checked = 0;
        for (int mel = 0; mel < 128; ++mel) {
            const int row = 127 - mel;
            QCOMPARE(raw[row * rowBytes], char(0)); // filter byte
            for (int frame = 0; frame < 67; ++frame) {
                const float value = v[mel * 67 + frame];
                const char* px = raw.constData() + row * rowBytes + 1 + frame * 3;
                if (value == 0.0f) { // magma's last entry, #fcfdbf
                    QCOMPARE(QByteArray(px, 3), QByteArray("\xfc\xfd\xbf", 3));
                    ++checked;
                } else if (value == -80.0f) { // magma's first entry, #000004
                    QCOMPARE(QByteArray(px, 3), QByteArray("\x00\x00\x04", 3));
                    ++checked;
                }
            }
        }
        QVERIFY(checked >= 1);
    }

    void badInputs_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty file") << "empty" << "empty";
        QTest::newRow("text renamed .wav") << "text" << "not an audio file";
        QTest::newRow("missing file") << "missing" << "no such file";
        QTest::newRow("directory") << "directory" << "directory";
    }

    void badInputs()
    {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        QString path = dir_.filePath(kind + ".wav");
        if (kind == "empty" || kind == "text") {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            if (kind == "text")
                f.write("just some text\n");
        } else if (kind == "directory") {
            QVERIFY(QDir().mkpath(path));
        }
        for (const QStringList& args : {QStringList{"info", path}, QStringList{"info", "--json", path},
                                        QStringList{"spectrogram", path, "--out", dir_.filePath("o.f32")}}) {
            const Run r = runCli(args);
            QCOMPARE(r.exitCode, 2);
            const QStringList errLines = lines(r.err);
            QCOMPARE(errLines.size(), 1);
            QVERIFY2(errLines[0].startsWith(path + ": "), qPrintable(errLines[0]));
            QVERIFY2(errLines[0].contains(reason), qPrintable(errLines[0]));
            QVERIFY(r.out.isEmpty());
        }
        QVERIFY(!QFile::exists(dir_.filePath("o.f32"))); // nothing written on failure
    }

    void badArguments()
    {
        const QString wav = testdata::goldenDir() + "/short_300.wav";
        for (const QStringList& args :
             {QStringList{"spectrogram", wav}, QStringList{"spectrogram", "--out", dir_.filePath("x.f32")},
              QStringList{"info"}, QStringList{"info", wav, "--bogus"}, QStringList{"info", wav, wav},
              QStringList{"spectrogram", wav, "--out", dir_.filePath("x.f32"), "--max-seconds", "abc"}}) {
            const Run r = runCli(args);
            QVERIFY2(r.exitCode == 2, qPrintable(args.join(' ')));
            QCOMPARE(lines(r.err).size(), 1);
        }
        // An output folder that does not exist is the user's input too: exit 2 naming the output.
        const QString out = dir_.filePath("no_such_folder/x.f32");
        const Run r = runCli({"spectrogram", wav, "--out", out});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(lines(r.err).size(), 1);
        QVERIFY2(r.err.contains(out), qPrintable(r.err));
        // Too long for --max-seconds.
        const Run longer = runCli({"spectrogram", testdata::goldenDir() + "/chirp.wav", "--out",
                                   dir_.filePath("y.f32"), "--max-seconds", "1"});
        QCOMPARE(longer.exitCode, 2);
        QVERIFY(longer.err.contains("too long"));
    }
};

QTEST_GUILESS_MAIN(TestCliBasic)
#include "test_cli_basic.moc"
