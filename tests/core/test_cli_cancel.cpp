// SPDX-License-Identifier: GPL-3.0-or-later
// Ctrl+C during the long model commands goes through the one CancelOnSigint guard (app/cli/model/ModelCliSupport):
// a real SIGINT sent to a running `emoscope-cli train` and `emoscope-cli personalize` once the run is under way
// stops it cleanly with exit code 130, the command's own "cancelled" words, and no model written.
#include "CliRun.h"
#include "ModelTestSupport.h"
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <map>

using namespace emoscope;

namespace {

struct Interrupted {
    bool sent = false;  // the trigger appeared and SIGINT went out
    int exitCode = -1;  // -1: killed by a signal or did not finish
    QByteArray out, err;
};

// Starts the CLI, sends SIGINT once its stderr contains `trigger`, and waits for it to end.
Interrupted interruptAfter(const QStringList& args, const QByteArray& trigger)
{
    Interrupted r;
    QProcess p;
    p.start(testdata::cliPath(), args);
    if (!p.waitForStarted(10000)) return r;
    QElapsedTimer clock;
    clock.start();
    while (!r.err.contains(trigger) && p.state() == QProcess::Running && clock.elapsed() < 300000) {
        p.waitForReadyRead(200);
        r.err += p.readAllStandardError();
    }
    if (r.err.contains(trigger) && p.state() == QProcess::Running) {
        r.sent = ::kill(pid_t(p.processId()), SIGINT) == 0;
    }
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished(5000);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err += p.readAllStandardError();
    return r;
}

} // namespace

class TestCliCancel : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void trainStopsOnCtrlC()
    {
        const Dataset ds = testdata::tessSubset(6);
        const QString manifest = dir_.filePath("train.csv");
        QVERIFY(testdata::writeManifest(ds, manifest));
        const QString out = dir_.filePath("never.pt");
        // Many epochs of a tiny network: SIGINT goes out after the first epoch's line, long before the end.
        const Interrupted r = interruptAfter({"train", "--data", manifest, "--split", "random", "--epochs", "200",
                                              "--widths", "8,16", "--blocks", "1", "--threads", "1", "--out", out},
                                             "epoch 1/200");
        QVERIFY2(r.sent, r.err.constData());
        QVERIFY2(r.exitCode == 130, r.err.constData());
        QVERIFY2(r.err.contains("cancelled; no model written"), r.err.constData());
        const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(summary.value("cancelled").toBool(), true);
        QVERIFY(summary.value("history").toArray().size() < 200);
        QVERIFY(!QFileInfo::exists(out));
    }

    void personalizeStopsOnCtrlC()
    {
        ScanOptions scan;
        scan.probeFiles = false;
        const Dataset ds = scanDataset(testdata::ravdessDir().toStdString(), scan);
        Dataset takes = ds;
        takes.clips.clear();
        std::map<std::string, int> n;
        for (const auto& c : ds.clips)
            if (c.speaker == "Actor_11" && n[c.label]++ < 2) takes.clips.push_back(c);
        QCOMPARE(int(takes.clips.size()), 14);
        const QString manifest = dir_.filePath("takes.csv");
        QVERIFY(testdata::writeManifest(takes, manifest));
        const QString out = dir_.filePath("never-personal.pt");
        // The copies are made, then 100,000 steps would follow: SIGINT goes out as the steps start.
        const Interrupted r = interruptAfter({"personalize", "--data", manifest, "--out", out, "--model",
                                              testdata::bundledModel(), "--copies", "2", "--steps", "100000",
                                              "--threads", "1"},
                                             "copies: ");
        QVERIFY2(r.sent, r.err.constData());
        QVERIFY2(r.exitCode == 130, r.err.constData());
        QVERIFY2(r.err.contains("personalize: cancelled; nothing written"), r.err.constData());
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFileInfo::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestCliCancel)
#include "test_cli_cancel.moc"
