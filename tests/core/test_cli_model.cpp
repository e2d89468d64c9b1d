// SPDX-License-Identifier: GPL-3.0-or-later
// emoscope-cli train / classify / evaluate / timeline on real TESS clips with a tiny model trained by the CLI itself.
#include "CliRun.h"
#include "ModelTestSupport.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

class TestCliModel : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    emoscope::Dataset data_;
    QString manifest_, model_;

    using Run = testdata::CliRun;
    static Run cli(const QStringList& args) { return testdata::runCli(args, 600000); }
    QStringList clipPaths() const
    {
        QStringList l;
        for (const auto& c : data_.clips) l << QString::fromStdString(c.path);
        return l;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        QVERIFY2(!testdata::cliPath().isEmpty(), "EMOSCOPE_CLI not set");
        data_ = testdata::tessSubset(6);
        manifest_ = tmp_.filePath("subset.csv");
        QVERIFY(testdata::writeManifest(data_, manifest_));
        model_ = tmp_.filePath("tiny.pt");
        const Run r = cli({"train", "--data", manifest_, "--split", "random", "--epochs", "2", "--widths", "8,16",
                           "--out", model_, "--threads", "2", "--seed", "5"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject summary = QJsonDocument::fromJson(r.out.trimmed()).object();
        QCOMPARE(summary.value("cancelled").toBool(), false);
        QCOMPARE(summary.value("history").toArray().size(), 2);
        QVERIFY(summary.value("test").toObject().contains("accuracy")); // random split: a stratified test part
        QCOMPARE(summary.value("test_clips").toInt() + summary.value("train_clips").toInt() +
                     summary.value("validation_clips").toInt(),
                 42);
        QVERIFY(QFile::exists(model_));
    }

    void classifyJsonLines()
    {
        const QStringList files = clipPaths().mid(0, 5);
        const Run r = cli(QStringList{"classify", "--model", model_, "--json"} + files);
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 5);
        for (int i = 0; i < 5; ++i) {
            const QJsonObject o = QJsonDocument::fromJson(lines[i]).object();
            QCOMPARE(o.value("file").toString(), files[i]);
            const QJsonObject p = o.value("probabilities").toObject();
            QCOMPARE(p.size(), 7);
            double s = 0, best = -1;
            QString arg;
            for (auto it = p.begin(); it != p.end(); ++it) {
                s += it.value().toDouble();
                if (it.value().toDouble() > best) {
                    best = it.value().toDouble();
                    arg = it.key();
                }
            }
            QVERIFY(std::abs(s - 1.0) < 1e-4);
            QCOMPARE(o.value("label").toString(), arg);
            QCOMPARE(o.value("confidence").toDouble(), best);
        }
    }

    void classifyAgreesWithEvaluate()
    {
        const Run c = cli(QStringList{"classify", "--model", model_, "--json"} + clipPaths());
        QCOMPARE(c.exitCode, 0);
        QSet<QString> wrong;
        int i = 0;
        for (const QByteArray& line : c.out.trimmed().split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value("label").toString() != QString::fromStdString(data_.clips[std::size_t(i)].label))
                wrong.insert(o.value("file").toString());
            ++i;
        }
        QCOMPARE(i, 42);
        const Run e = cli({"evaluate", "--data", manifest_, "--model", model_, "--json"});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        const QJsonObject rep = QJsonDocument::fromJson(e.out.trimmed()).object();
        for (const char* key : {"accuracy", "uar", "macro_f1", "labels", "recall", "precision", "confusion",
                                "misclassified", "total"})
            QVERIFY2(rep.contains(key), key);
        QCOMPARE(rep.value("total").toInt(), 42);
        QCOMPARE(rep.value("labels").toArray().size(), 7);
        const QJsonArray conf = rep.value("confusion").toArray();
        QCOMPARE(conf.size(), 7);
        int rowSum = 0;
        for (const auto& row : conf[0].toArray()) rowSum += row.toInt(); // rows are true labels: 6 angry clips
        QCOMPARE(rowSum, 6);
        QSet<QString> evalWrong;
        for (const auto& m : rep.value("misclassified").toArray()) evalWrong.insert(m.toObject().value("file").toString());
        QCOMPARE(evalWrong, wrong);
        QVERIFY(std::abs(rep.value("accuracy").toDouble() - (42.0 - wrong.size()) / 42.0) < 1e-9);
    }

    void evaluateSpeakerSplitScoresThatSpeaker()
    {
        const Run e = cli({"evaluate", "--data", manifest_, "--model", model_, "--split", "speaker:OAF", "--json"});
        QVERIFY2(e.exitCode == 0, e.err.constData());
        QCOMPARE(QJsonDocument::fromJson(e.out.trimmed()).object().value("total").toInt(), 21);
    }

    // calibrate refits the tiny model's temperature on one speaker's clips and writes a model that classify loads;
    // the summary names the speakers and the corpus, and the refusals come before any work.
    void calibrateWritesARefittedModel()
    {
        const QString out = tmp_.filePath("refit.pt");
        const Run r = cli({"calibrate", "--data", manifest_, "--model", model_, "--split", "speaker:YAF", "--out", out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject s = QJsonDocument::fromJson(r.out.trimmed()).object();
        QCOMPARE(s.value("clips").toInt(), 21);
        QCOMPARE(s.value("speakers").toArray(), QJsonArray({"YAF"}));
        QCOMPARE(s.value("objective").toString(), QStringLiteral("worst-corpus"));
        const QJsonObject corpora = s.value("corpora").toObject();
        QCOMPARE(corpora.size(), 1);
        QCOMPARE(corpora.begin().value().toObject().value("clips").toInt(), 21);
        const double T = s.value("after").toObject().value("temperature").toDouble();
        QVERIFY(T >= 0.2 && T <= 10.0);
        const Run c = cli({"classify", "--model", out, "--json", clipPaths().first()});
        QVERIFY2(c.exitCode == 0, c.err.constData());
        // Refusals: no speakers, an unknown objective, the model as its own output, an unknown speaker.
        QCOMPARE(cli({"calibrate", "--data", manifest_, "--model", model_, "--out", out}).exitCode, 2);
        const Run badObjective = cli({"calibrate", "--data", manifest_, "--model", model_, "--split", "speaker:YAF",
                                      "--objective", "ece", "--out", out});
        QCOMPARE(badObjective.exitCode, 2);
        QVERIFY(badObjective.err.contains("--objective"));
        QCOMPARE(cli({"calibrate", "--data", manifest_, "--model", model_, "--split", "speaker:YAF", "--out", model_}).exitCode, 2);
        const Run nobody = cli({"calibrate", "--data", manifest_, "--model", model_, "--split", "speaker:NOBODY",
                                "--out", tmp_.filePath("nobody.pt")});
        QCOMPARE(nobody.exitCode, 2);
        QVERIFY(!QFile::exists(tmp_.filePath("nobody.pt")));
    }

    void timelineJsonAndCsv()
    {
        const QString f = clipPaths().first();
        const Run j = cli({"timeline", f, "--model", model_, "--window", "0.5", "--hop", "0.25", "--json"});
        QVERIFY2(j.exitCode == 0, j.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(j.out.trimmed()).object();
        const QJsonArray w = o.value("windows").toArray();
        QVERIFY(w.size() >= 2);
        QCOMPARE(w[0].toObject().value("start").toDouble(), 0.0);
        QVERIFY(std::abs(w[1].toObject().value("start").toDouble() - 0.25) < 1e-3);
        const Run c = cli({"timeline", f, "--model", model_, "--window", "0.5", "--hop", "0.25", "--csv"});
        QCOMPARE(c.exitCode, 0);
        const QList<QByteArray> rows = c.out.trimmed().split('\n');
        QCOMPARE(rows.size(), w.size() + 1);
        QVERIFY(rows[0].startsWith("start,end,label,angry"));
    }

    void exitCodes()
    {
        // A file that is not a model: exit 2, one line naming it.
        const QString notModel = tmp_.filePath("notes.txt");
        {
            QFile f(notModel);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("hello\n");
        }
        Run r = cli({"classify", "--model", notModel, clipPaths().first()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(notModel.toUtf8()));
        // A missing audio file among good ones: the good one is still classified, exit 2.
        r = cli({"classify", "--model", model_, "--json", "/no/such/clip.wav", clipPaths().first()});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out.trimmed().split('\n').size(), 1);
        QVERIFY(r.err.contains("/no/such/clip.wav"));
        // A missing data folder.
        r = cli({"evaluate", "--data", "/no/such/folder", "--model", model_});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("/no/such/folder"));
        // A bad --from model for training.
        r = cli({"train", "--data", manifest_, "--epochs", "1", "--out", tmp_.filePath("x.pt"), "--from", notModel});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(notModel.toUtf8()));
        QVERIFY(!QFile::exists(tmp_.filePath("x.pt")));
        // No files at all is a usage error.
        r = cli({"classify", "--model", model_});
        QCOMPARE(r.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliModel)
#include "test_cli_model.moc"
