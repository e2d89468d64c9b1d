// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli with the bundled model on generated non-speech and a real TESS clip: classify --json says
// no_speech for silence and for a 50 ms tone, ok for speech; timeline --json/--csv carry a status per window.
#include "AudioFixtures.h"
#include "CliRun.h"
#include "TestData.h"
#include "audio/WavWriter.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class TestCliVerdict : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;

    using Run = testdata::CliRun;
    static Run cli(const QStringList& args) { return testdata::runCli(args, 300000); }
    QString writeFixture(const QString& name, const std::vector<float>& samples)
    {
        const QString path = tmp_.filePath(name);
        emoscope::writeWavAtomic(path.toStdString(), samples.data(), samples.size(), fixtures::kRate);
        return path;
    }
    static QJsonObject classifyJson(const QString& file)
    {
        const Run r = cli({"classify", "--json", "--model", testdata::bundledModel(), file});
        if (r.exitCode != 0) qWarning("%s", r.err.constData());
        return QJsonDocument::fromJson(r.out.trimmed()).object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        QVERIFY2(!testdata::cliPath().isEmpty(), "EMOSCOPE_CLI not set");
        QVERIFY2(QFile::exists(testdata::bundledModel()), qPrintable(testdata::bundledModel()));
    }

    void silenceIsNoSpeech()
    {
        const QJsonObject o = classifyJson(writeFixture("silence.wav", fixtures::silence(3.0)));
        QCOMPARE(o.value("status").toString(), QString("no_speech"));
        QCOMPARE(o.value("speech_seconds").toDouble(-1), 0.0);
        // The fields stay, but name no emotion: the network's top label for silence is not a verdict.
        QVERIFY(o.contains("label") && o.value("label").isNull());
        QVERIFY(o.contains("confidence") && o.value("confidence").isNull());
        QCOMPARE(o.value("probabilities").toObject().size(), 7); // the raw output, for whoever wants to look
        // CSV: empty label and confidence, the status in its column.
        const Run c = cli({"classify", "--model", testdata::bundledModel(), "--csv", tmp_.filePath("silence.wav")});
        QCOMPARE(c.exitCode, 0);
        const QList<QByteArray> row = c.out.trimmed().split('\n').value(1).split(',');
        QCOMPARE(row.size(), 3 + 7 + 2);
        QVERIFY(row[1].isEmpty() && row[2].isEmpty());
        QCOMPARE(row[10], QByteArray("no_speech"));
    }

    void shortToneIsNoSpeech()
    {
        const QJsonObject o = classifyJson(writeFixture("tone50ms.wav", fixtures::tone(0.05, 1000, -12)));
        QCOMPARE(o.value("status").toString(), QString("no_speech"));
    }

    void speechIsOk()
    {
        const QJsonObject o = classifyJson(testdata::tessDir() + "/YAF_angry/YAF_bath_angry.flac");
        QCOMPARE(o.value("status").toString(), QString("ok"));
        QCOMPARE(o.value("label").toString(), QString("angry"));
        QVERIFY(o.value("confidence").toDouble() > 1.0 / 7);
        QVERIFY2(o.value("speech_seconds").toDouble() >= 0.3, qPrintable(QString::number(o.value("speech_seconds").toDouble())));
    }

    void textSaysNoSpeechDetected()
    {
        const Run r = cli({"classify", "--model", testdata::bundledModel(), tmp_.filePath("silence.wav")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("no speech detected"), r.out.constData());
    }

    void timelineWindowsCarryStatus()
    {
        // Silence: every window is no_speech. A TESS clip in one window: ok.
        const QString file = writeFixture("silence.wav", fixtures::silence(3.0));
        const Run j = cli({"timeline", file, "--model", testdata::bundledModel(), "--window", "1", "--hop", "1", "--json"});
        QCOMPARE(j.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(j.out.trimmed()).object();
        QCOMPARE(o.value("speech_seconds").toDouble(-1), 0.0);
        const QJsonArray ws = o.value("windows").toArray();
        QCOMPARE(ws.size(), 3);
        for (const auto& w : ws) {
            QCOMPARE(w.toObject().value("status").toString(), QString("no_speech"));
            QVERIFY(w.toObject().value("label").isNull());
        }

        const QString speech = testdata::tessDir() + "/YAF_angry/YAF_bath_angry.flac";
        const Run c = cli({"timeline", speech, "--model", testdata::bundledModel(), "--window", "5", "--csv"});
        QCOMPARE(c.exitCode, 0);
        const QList<QByteArray> rows = c.out.trimmed().split('\n');
        QCOMPARE(rows.size(), 2);
        QVERIFY2(rows[0].endsWith(",status,speech_seconds"), rows[0].constData());
        QVERIFY2(rows[1].split(',').value(rows[1].split(',').size() - 2) == "ok", rows[1].constData());
    }
};

QTEST_GUILESS_MAIN(TestCliVerdict)
#include "test_cli_verdict.moc"
