// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 11 item 4: every CLI option is bounded and checked before any work starts. Each bad value gives exit code 2
// and exactly one stderr line naming the option (never a libtorch backtrace); outputs never replace an input.
#include "CliRun.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

namespace {

QStringList lines(const QByteArray& text) { return QString::fromUtf8(text).split('\n', Qt::SkipEmptyParts); }

QByteArray digest(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class TestCliOptionBounds : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    QString clip_; // a copy of a TESS clip the tests may try (and must fail) to overwrite
    QString data_; // a tiny TESS-named dataset (links to 4 clips)

    // Runs the CLI and checks the refusal: exit 2, one stderr line containing every `mentions`, no backtrace.
    void refused(const QStringList& args, const QStringList& mentions)
    {
        const testdata::CliRun r = testdata::runCli(args, 120000);
        const QString what = args.join(' ') + " -> " + QString::fromUtf8(r.err);
        QVERIFY2(r.exitCode == 2, qPrintable(QString("exit %1: %2").arg(r.exitCode).arg(what)));
        QVERIFY2(lines(r.err).size() == 1, qPrintable(what));
        for (const QString& m : mentions) QVERIFY2(r.err.contains(m.toUtf8()), qPrintable(m + " not in " + what));
        QVERIFY2(!r.err.contains("Exception raised from") && !r.err.contains("frame #"), qPrintable(what));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        const QString tess = testdata::tessDir();
        clip_ = tmp_.filePath("clip.flac");
        QVERIFY(QFile::copy(tess + "/OAF_angry/OAF_back_angry.flac", clip_));
        data_ = tmp_.filePath("data");
        QVERIFY(QDir().mkpath(data_));
        for (const char* rel : {"OAF_angry/OAF_back_angry.flac", "OAF_sad/OAF_back_sad.flac",
                                "YAF_angry/YAF_back_angry.flac", "YAF_sad/YAF_back_sad.flac"}) {
            const QString src = tess + "/" + rel;
            QVERIFY2(QFile::exists(src), qPrintable(src));
            QVERIFY(QFile::link(src, data_ + "/" + QFileInfo(src).fileName()));
        }
    }

    void threadsAndJobsAreBounded()
    {
        refused({"classify", "--threads", "100000", clip_}, {"--threads", "100000"});
        refused({"classify", "--threads", "-1", clip_}, {"--threads"});
        refused({"classify", "--jobs", "0", clip_}, {"--jobs"});
        refused({"classify", "--jobs", "100000", clip_}, {"--jobs"});
        refused({"timeline", "--threads", "256", clip_}, {"--threads"});
        refused({"evaluate", "--data", data_, "--threads", "100000"}, {"--threads"});
        refused({"evaluate", "--data", data_, "--jobs", "1e3"}, {"--jobs"});
        refused({"train", "--data", data_, "--out", tmp_.filePath("m.pt"), "--threads", "100000"}, {"--threads"});
    }

    void windowHopAndMaxSecondsAreFiniteAndInRange()
    {
        refused({"timeline", "--window", "inf", clip_}, {"--window", "inf"});
        refused({"timeline", "--window", "nan", clip_}, {"--window"});
        refused({"timeline", "--window", "0", clip_}, {"--window"});
        refused({"timeline", "--hop", "-0.5", clip_}, {"--hop"});
        // 1e-6 s would mean millions of windows: refused before the file is decoded.
        refused({"timeline", "--hop", "1e-6", clip_}, {"--hop"});
        refused({"spectrogram", clip_, "--out", tmp_.filePath("s.f32"), "--max-seconds", "-1"}, {"--max-seconds"});
        refused({"spectrogram", clip_, "--out", tmp_.filePath("s.f32"), "--max-seconds", "1e300"}, {"--max-seconds"});
        refused({"spectrogram", clip_, "--out", tmp_.filePath("s.f32"), "--max-seconds", "inf"}, {"--max-seconds"});
        QVERIFY(!QFile::exists(tmp_.filePath("s.f32")));
        // The bounds leave ordinary values alone.
        const testdata::CliRun ok = testdata::runCli({"timeline", "--window", "1", "--hop", "0.25", "--csv", clip_});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        QVERIFY(lines(ok.out).size() > 2);
    }

    void trainingOptionsGoThroughValidate()
    {
        const QString out = tmp_.filePath("model.pt");
        const QStringList base{"train", "--data", data_, "--epochs", "1", "--out", out};
        refused(base + QStringList{"--weight-decay", "nan"}, {"--weight-decay"});
        refused(base + QStringList{"--weight-decay", "-1"}, {"--weight-decay"});
        refused(base + QStringList{"--lr", "0"}, {"--lr"});
        refused(base + QStringList{"--lr", "100"}, {"--lr"});
        refused(base + QStringList{"--dropout", "1.5"}, {"--dropout"});
        refused(base + QStringList{"--widths", "100000,8"}, {"--widths"});
        refused(base + QStringList{"--widths", "8,8,8,8,8,8,8,8,8"}, {"--widths"});
        refused(base + QStringList{"--blocks", "1000"}, {"--blocks"});
        refused(base + QStringList{"--label-smoothing", "1"}, {"--label-smoothing"});
        refused(base + QStringList{"--val-fraction", "inf"}, {"--val-fraction"});
        refused(base + QStringList{"--val-speakers", "-0.1"}, {"--val-speakers"});
        refused(base + QStringList{"--warp-range", "0.9"}, {"--warp-range"});
        refused(base + QStringList{"--crop", "0"}, {"--crop"});
        refused({"train", "--data", data_, "--epochs", "99999999999999999999", "--out", out}, {"--epochs"});
        refused({"train", "--data", data_, "--epochs", "0", "--out", out}, {"--epochs"});
        refused({"train", "--data", data_, "--batch", "100000", "--out", out}, {"--batch"});
        refused(base + QStringList{"--from", ""}, {"--from"});
        refused({"report", "--data", data_, "--epochs", "0"}, {"--epochs"});
        // A model's report trains nothing: training options and a split other than speakers are refused.
        refused({"report", "--data", data_, "--model", "m.pt", "--split", "speaker:OAF", "--epochs", "5"}, {"--epochs"});
        refused({"report", "--data", data_, "--model", "m.pt"}, {"--split"});
        refused({"report", "--data", data_, "--model", "m.pt", "--split", "random"}, {"--split", "speaker:"});
        refused({"report", "--data", data_, "--split", "speaker:OAF"}, {"--split", "--model"});
        QVERIFY(!QFile::exists(out));
    }

    void trainChecksItsPathsUpFront()
    {
        const QString out = tmp_.filePath("model.pt");
        const QStringList base{"train", "--data", data_, "--epochs", "1"};
        refused(base + QStringList{"--out", tmp_.filePath("no-such-folder/m.pt")}, {"--out", "no-such-folder"});
        refused(base + QStringList{"--out", tmp_.path()}, {"--out", "folder"});
        refused(base + QStringList{"--out", out, "--checkpoint", tmp_.filePath("nope/c.ckpt")}, {"--checkpoint"});
        // --resume with no checkpoint on disk used to start over silently (and --resume alone is refused too).
        refused(base + QStringList{"--out", out, "--checkpoint", tmp_.filePath("c.ckpt"), "--resume"},
                {"--resume", "c.ckpt"});
        refused(base + QStringList{"--out", out, "--resume"}, {"--resume", "--checkpoint"});
        refused(base + QStringList{"--out", out, "--checkpoint", out}, {"--checkpoint", "--out"});
        const QString model = testdata::bundledModel();
        QVERIFY(QFile::exists(model));
        refused(base + QStringList{"--out", model, "--from", model}, {"--out", "--from"});
        QVERIFY(!QFile::exists(out));
        QVERIFY(!QFile::exists(tmp_.filePath("c.ckpt")));
    }

    void outputsNeverReplaceAnInput()
    {
        const QByteArray before = digest(clip_);
        QVERIFY(!before.isEmpty());
        refused({"spectrogram", clip_, "--out", clip_}, {"--out", "input"});
        QDir::setCurrent(tmp_.path());
        refused({"spectrogram", clip_, "--out", "./clip.flac"}, {"--out", "input"}); // same file, other spelling
        const QString out = tmp_.filePath("spec.f32");
        refused({"spectrogram", clip_, "--out", out, "--png", out}, {"--png", "--out"});
        refused({"spectrogram", clip_, "--out", out, "--png", clip_}, {"--png", "input"});
        QCOMPARE(digest(clip_), before);
        QVERIFY(!QFile::exists(out));
        const testdata::CliRun ok = testdata::runCli({"spectrogram", clip_, "--out", out, "--png", tmp_.filePath("s.png")});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        QVERIFY(QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestCliOptionBounds)
#include "test_cli_option_bounds.moc"
