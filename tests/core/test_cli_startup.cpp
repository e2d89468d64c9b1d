// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 12 item 3: the commands that need no model (info, spectrogram, --help, --version) do not load libtorch, nor do
// the commands that only run a model (classify, timeline: the torch-free module, whose network runs in BLAS); the
// commands that train or evaluate load it from their module. Checked with the dynamic loader's own log
// (LD_DEBUG=files), which names every shared object the process opens.
#include "CliRun.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Traced {
    int exitCode = -1;
    QByteArray loaderLog; // stderr: ld.so's lines and the program's own
};

Traced runTraced(const QStringList& args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("LD_DEBUG", "files");
    p.setProcessEnvironment(env);
    p.start(testdata::cliPath(), args);
    Traced t;
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit) return t;
    t.exitCode = p.exitCode();
    t.loaderLog = p.readAllStandardError();
    return t;
}

bool loadsTorch(const QByteArray& log) { return log.contains("libtorch_cpu.so") || log.contains("libc10.so"); }

} // namespace

class TestCliStartup : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString clip_;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        clip_ = testdata::tessDir() + "/OAF_angry/OAF_back_angry.flac";
        QVERIFY(QFile::exists(clip_));
    }

    void commandsWithoutAModelDoNotLoadTorch()
    {
        const QList<QStringList> runs{{"--version"},
                                      {"--help"},
                                      {"info", clip_},
                                      {"info", "--json", clip_},
                                      {"spectrogram", clip_, "--out", tmp_.filePath("s.f32"), "--png", tmp_.filePath("s.png")},
                                      {"evaluate", "--help"}}; // help text of a training command: its module
        for (const QStringList& args : runs) {
            const Traced t = runTraced(args);
            QVERIFY2(t.exitCode == 0, qPrintable(args.join(' ')));
            QVERIFY2(t.loaderLog.contains("calling init"), "LD_DEBUG=files wrote nothing: the check would be blind");
            if (args.first() == "evaluate") {
                QVERIFY2(loadsTorch(t.loaderLog), "the training commands come from the module that links libtorch");
                QVERIFY(t.loaderLog.contains("libemoscope-cli-model.so"));
            } else {
                QVERIFY2(!loadsTorch(t.loaderLog), qPrintable(args.join(' ') + " loaded libtorch"));
            }
        }
    }

    void classifyAndTimelineRunWithoutTorch()
    {
        const QList<QStringList> runs{{"classify", "--json", clip_}, {"timeline", "--json", clip_}};
        for (const QStringList& args : runs) {
            const Traced t = runTraced(args);
            QVERIFY2(t.exitCode == 0, qPrintable(args.join(' ')));
            QVERIFY(t.loaderLog.contains("libemoscope-cli-infer.so"));
            QVERIFY2(!t.loaderLog.contains("libemoscope-cli-model.so"), qPrintable(args.join(' ')));
            QVERIFY2(!loadsTorch(t.loaderLog), qPrintable(args.join(' ') + " loaded libtorch"));
        }
        const testdata::CliRun r = testdata::runCli({"classify", "--json", clip_});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("\"label\":\"angry\""), r.out.constData());
    }

    void withoutTheModuleOnlyModelCommandsFail()
    {
        // The executable alone in a folder: info still works, classify says in one line what is missing (exit 1, an
        // installation problem rather than the user's input).
        const QString exe = tmp_.filePath("bin/emoscope-cli");
        QVERIFY(QDir().mkpath(tmp_.filePath("bin")));
        QVERIFY(QFile::copy(testdata::cliPath(), exe));
        QProcess info;
        info.start(exe, {"info", clip_});
        QVERIFY(info.waitForFinished(120000));
        QCOMPARE(info.exitCode(), 0);
        QProcess classify;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("EMOSCOPE_CLI_MODULE_DIR");
        classify.setProcessEnvironment(env);
        classify.start(exe, {"classify", clip_});
        QVERIFY(classify.waitForFinished(120000));
        QCOMPARE(classify.exitCode(), 1);
        const QString err = QString::fromUtf8(classify.readAllStandardError());
        QCOMPARE(err.split('\n', Qt::SkipEmptyParts).size(), 1);
        QVERIFY2(err.contains("libemoscope-cli-infer.so"), qPrintable(err));
        QProcess evaluate;
        evaluate.setProcessEnvironment(env);
        evaluate.start(exe, {"evaluate", "--data", testdata::tessDir()});
        QVERIFY(evaluate.waitForFinished(120000));
        QCOMPARE(evaluate.exitCode(), 1);
        QVERIFY(QString::fromUtf8(evaluate.readAllStandardError()).contains("libemoscope-cli-model.so"));
    }
};

QTEST_GUILESS_MAIN(TestCliStartup)
#include "test_cli_startup.moc"
