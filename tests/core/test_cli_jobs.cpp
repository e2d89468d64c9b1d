// SPDX-License-Identifier: GPL-3.0-or-later
// --jobs N for the batch commands: the files are spread over N workers, and the output (order and every number, for
// the same compute threads per file) is the same as with one worker.
#include "CliRun.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

class TestCliJobs : public QObject {
    Q_OBJECT

    QStringList clips_;
    QTemporaryDir tmp_;
    QString data_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        // Twelve clips of two speakers and six emotions, in an order that is not the folder order.
        const QString tess = testdata::tessDir();
        for (const char* speaker : {"YAF", "OAF"})
            for (const char* emotion : {"sad", "angry", "happy", "fear", "neutral", "disgust"}) {
                const QString f = QString("%1/%2_%3/%2_bath_%3.flac").arg(tess, speaker, emotion);
                QVERIFY2(QFile::exists(f), qPrintable(f));
                clips_ << f;
            }
        data_ = tmp_.filePath("data");
        QVERIFY(QDir().mkpath(data_));
        for (const QString& c : clips_) QVERIFY(QFile::link(c, data_ + "/" + QFileInfo(c).fileName()));
    }

    void classifyWithTwoJobsEqualsOneJob()
    {
        // With the same compute threads per file, every byte is the same: same order, same probabilities.
        const testdata::CliRun one =
            testdata::runCli(QStringList{"classify", "--json", "--jobs", "1", "--threads", "1"} + clips_);
        const testdata::CliRun two =
            testdata::runCli(QStringList{"classify", "--json", "--jobs", "2", "--threads", "1"} + clips_);
        QVERIFY2(one.exitCode == 0, one.err.constData());
        QVERIFY2(two.exitCode == 0, two.err.constData());
        const QList<QByteArray> rows = one.out.split('\n');
        QCOMPARE(rows.size(), clips_.size() + 1); // one line per file and the final newline
        for (int i = 0; i < clips_.size(); ++i) // in the order given
            QCOMPARE(QJsonDocument::fromJson(rows[i]).object().value("file").toString(), clips_[i]);
        QCOMPARE(two.out, one.out);

        // With the defaults (threads = cores / jobs) only the summation order inside a forward pass differs:
        // the same files in the same order with the same labels and verdicts, probabilities equal to 1e-5.
        const testdata::CliRun oneDefault = testdata::runCli(QStringList{"classify", "--json", "--jobs", "1"} + clips_);
        const testdata::CliRun twoDefault = testdata::runCli(QStringList{"classify", "--json", "--jobs", "2"} + clips_);
        QCOMPARE(oneDefault.exitCode, 0);
        QCOMPARE(twoDefault.exitCode, 0);
        const QList<QByteArray> a = oneDefault.out.split('\n'), b = twoDefault.out.split('\n');
        QCOMPARE(a.size(), b.size());
        for (int i = 0; i < clips_.size(); ++i) {
            const QJsonObject x = QJsonDocument::fromJson(a[i]).object(), y = QJsonDocument::fromJson(b[i]).object();
            QCOMPARE(y.value("file").toString(), clips_[i]);
            QCOMPARE(y.value("label").toString(), x.value("label").toString());
            QCOMPARE(y.value("status").toString(), x.value("status").toString());
            const QJsonObject px = x.value("probabilities").toObject(), py = y.value("probabilities").toObject();
            QCOMPARE(py.keys(), px.keys());
            for (const QString& k : px.keys())
                QVERIFY2(std::abs(px.value(k).toDouble() - py.value(k).toDouble()) < 1e-5, qPrintable(clips_[i] + " " + k));
        }
        // A failing file keeps its place and does not stop the others.
        const QStringList withBad = QStringList{clips_[0], tmp_.filePath("missing.wav")} + clips_.mid(1, 3);
        const testdata::CliRun bad = testdata::runCli(QStringList{"classify", "--json", "--jobs", "2"} + withBad);
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains("missing.wav"));
        QCOMPARE(bad.out.split('\n').size(), 5);
    }

    void evaluateWithTwoJobsEqualsOneJob()
    {
        const testdata::CliRun one = testdata::runCli({"evaluate", "--data", data_, "--json", "--jobs", "1", "--threads", "1"});
        const testdata::CliRun two = testdata::runCli({"evaluate", "--data", data_, "--json", "--jobs", "2", "--threads", "1"});
        QVERIFY2(one.exitCode == 0, one.err.constData());
        QVERIFY2(two.exitCode == 0, two.err.constData());
        QCOMPARE(QJsonDocument::fromJson(one.out).object().value("total").toInt(), clips_.size());
        QCOMPARE(two.out, one.out);
    }
};

QTEST_GUILESS_MAIN(TestCliJobs)
#include "test_cli_jobs.moc"
