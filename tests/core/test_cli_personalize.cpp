// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli personalize (issue 14, the CLI twin of the Personalize tab): a takes folder of a RAVDESS actor the
// bundled model never trained on, the JSON summary, the written model, and the refusals.
#include "CliRun.h"
#include "ModelTestSupport.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <map>

using namespace emoscope;

class TestCliPersonalize : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString takes_;
    QString firstClip_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        ScanOptions scan;
        scan.probeFiles = false;
        Dataset ds = scanDataset(testdata::ravdessDir().toStdString(), scan);
        Dataset takes = ds;
        takes.clips.clear();
        std::map<std::string, int> n;
        for (const auto& c : ds.clips)
            if (c.speaker == "Actor_11" && n[c.label]++ < 3) takes.clips.push_back(c);
        QCOMPARE(int(takes.clips.size()), 21);
        firstClip_ = QString::fromStdString(takes.clips.front().path);
        takes_ = dir_.filePath("takes.csv");
        QVERIFY(testdata::writeManifest(takes, takes_));
    }

    void adaptsAndPrintsTheSummary()
    {
        const QString out = dir_.filePath("me.pt");
        const auto r = testdata::runCli({"personalize", "--data", takes_, "--out", out, "--speaker", "Actor 11",
                                         "--model", testdata::bundledModel(), "--threads", "2",
                                         "--copies", "4", "--steps", "30"}); // a small budget: this checks the plumbing
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject s = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(s.value("takes").toInt(), 14);    // 3 per label, one of each held back
        QCOMPARE(s.value("held_back").toInt(), 7);
        QCOMPARE(s.value("labels").toArray().size(), 7);
        QCOMPARE(s.value("speaker").toString(), QStringLiteral("Actor 11"));
        QVERIFY(s.value("before").toObject().contains("accuracy"));
        QVERIFY(s.value("after").toObject().contains("accuracy"));
        QVERIFY(QFileInfo(out).size() > 100000);
        // The personal model is a normal model file: classify runs with it and gives a verdict.
        const auto c = testdata::runCli({"classify", "--model", out, "--json", firstClip_});
        QVERIFY2(c.exitCode == 0, c.err.constData());
        QVERIFY(QJsonDocument::fromJson(c.out).object().contains("status"));
    }

    void refusesBadRequestsBeforeAnyWork()
    {
        const auto noOut = testdata::runCli({"personalize", "--data", takes_});
        QCOMPARE(noOut.exitCode, 2);
        QVERIFY(noOut.err.contains("--out"));
        const auto sameAsBase = testdata::runCli({"personalize", "--data", takes_, "--model", testdata::bundledModel(),
                                                  "--out", testdata::bundledModel()});
        QCOMPARE(sameAsBase.exitCode, 2);
        QCOMPARE(sameAsBase.err.trimmed().count('\n'), 0); // one line
        const auto missing = testdata::runCli({"personalize", "--data", dir_.filePath("nowhere"), "--out",
                                               dir_.filePath("x.pt")});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains("nowhere"));
        const auto help = testdata::runCli({"personalize", "--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("--hold-back"));
    }
};

QTEST_GUILESS_MAIN(TestCliPersonalize)
#include "test_cli_personalize.moc"
