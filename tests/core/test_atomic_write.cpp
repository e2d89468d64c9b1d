// SPDX-License-Identifier: GPL-3.0-or-later
// Atomic writes: the old file survives a failing writer, no temporary is left behind, success replaces the content.
#include "audio/AudioError.h"
#include "audio/WavWriter.h"
#include "util/AtomicFile.h"
#include "util/SameFile.h"

#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <fstream>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

using namespace emoscope;

namespace {
QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}
} // namespace

class TestAtomicWrite : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void replacesContent()
    {
        const QString target = dir_.filePath("model.bin");
        writeBytesAtomically(target.toStdString(), "first version");
        QCOMPARE(readAll(target), QByteArray("first version"));
        writeBytesAtomically(target.toStdString(), std::string("second\0version", 14));
        QCOMPARE(readAll(target), QByteArray("second\0version", 14));
        QCOMPARE(entries(dir_.path()), QStringList{"model.bin"});
    }

    void throwingWriterKeepsOldFile()
    {
        const QString target = dir_.filePath("keep.txt");
        writeBytesAtomically(target.toStdString(), "good old content");
        QString seenTmp;
        try {
            writeFileAtomically(target.toStdString(), [&](const std::string& tmp) {
                seenTmp = QString::fromStdString(tmp);
                std::ofstream out(tmp, std::ios::binary);
                out << "half a new file";
                out.flush();
                throw std::runtime_error("writer crashed half-way");
            });
            QFAIL("exception swallowed");
        } catch (const std::runtime_error& e) {
            QCOMPARE(std::string(e.what()), std::string("writer crashed half-way")); // propagated unchanged
        }
        // The temporary lived in the target's folder and is gone; the target is untouched.
        QCOMPARE(QFileInfo(seenTmp).absolutePath(), QFileInfo(target).absolutePath());
        QVERIFY(!QFile::exists(seenTmp));
        QCOMPARE(readAll(target), QByteArray("good old content"));
        QVERIFY(!entries(dir_.path()).join(' ').contains("tmp"));
    }

    void writerThatWritesNothingFails()
    {
        // The temporary exists before the writer runs (created exclusively); a writer that fills nothing fails.
        const QString target = dir_.filePath("nothing.txt");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 writeFileAtomically(target.toStdString(), [](const std::string&) {}));
        QVERIFY(!QFile::exists(target));
    }

    void missingFolderNamesThePath()
    {
        const QString target = dir_.filePath("no/such/folder/file.bin");
        try {
            writeBytesAtomically(target.toStdString(), "x");
            QFAIL("no exception");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find(target.toStdString()) != std::string::npos, e.what());
        }
    }

    void targetIsAFolder()
    {
        // rename() cannot replace a non-empty folder: the error surfaces and the temporary is cleaned up.
        const QString target = dir_.filePath("folder_target");
        QVERIFY(QDir().mkpath(target + "/inside"));
        const QStringList before = entries(dir_.path());
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeBytesAtomically(target.toStdString(), "x"));
        QCOMPARE(entries(dir_.path()), before);
    }

    void plantedLinksAreNeverFollowed()
    {
        // Another user plants links at every name it can predict; the victim file must stay as it was.
        const QString victim = dir_.filePath("victim.txt");
        { QFile f(victim); QVERIFY(f.open(QIODevice::WriteOnly)); f.write("precious"); }
        const QString target = dir_.filePath("out.bin");
        QStringList planted;
        for (const QString& name : {QString(".out.bin.tmp.%1.0").arg(::getpid()), QString(".out.bin.tmp.%1.1").arg(::getpid()),
                                    QString(".out.bin%1%2.0000000000000000").arg(kTemporaryMarker).arg(::getpid())}) {
            QVERIFY(QFile::link(victim, dir_.filePath(name)));
            planted << dir_.filePath(name);
        }
        std::string seenTmp;
        writeFileAtomically(target.toStdString(), [&](const std::string& tmp) {
            seenTmp = tmp;
            struct stat st{};
            QVERIFY(::lstat(tmp.c_str(), &st) == 0 && S_ISREG(st.st_mode)); // ours, not a link
            std::ofstream(tmp, std::ios::binary) << "new";
        });
        QCOMPARE(readAll(victim), QByteArray("precious"));
        QCOMPARE(readAll(target), QByteArray("new"));
        // The name is not predictable: 16 random hex digits after the PID.
        const std::string base = QFileInfo(QString::fromStdString(seenTmp)).fileName().toStdString();
        QVERIFY2(base.size() == std::string(".out.bin").size() + std::string(kTemporaryMarker).size() +
                                    std::to_string(::getpid()).size() + 1 + 16, base.c_str());
        // A link swapped in for the temporary while the writer runs is detected: nothing is renamed into place.
        try {
            writeFileAtomically(target.toStdString(), [&](const std::string& tmp) {
                ::unlink(tmp.c_str());
                QVERIFY(QFile::link(victim, QString::fromStdString(tmp)));
                std::ofstream(tmp, std::ios::binary) << "evil"; // what a careless writer would do through the link
            });
            QFAIL("no exception");
        } catch (const std::runtime_error& e) {
            QVERIFY2(std::string(e.what()).find(target.toStdString()) != std::string::npos, e.what());
        }
        QCOMPARE(readAll(target), QByteArray("new"));
        for (const QString& p : planted) QFile::remove(p);
        QFile::remove(victim);
        QFile::remove(target);
    }

    void leftoversOfKilledWritesAreRemoved()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // A child that is killed (it exits without cleaning up) leaves a temporary of its own PID behind.
        const pid_t child = ::fork();
        if (child == 0) {
            const std::string name = dir.filePath(".a.bin").toStdString() + kTemporaryMarker + std::to_string(::getpid()) +
                                     ".0123456789abcdef";
            std::ofstream(name) << "half";
            ::_exit(0);
        }
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        // One of a live process (this one) that is old, and an unrelated dot file that must stay.
        const QString old = dir.filePath(QString(".b.bin%1%2.fedcba9876543210").arg(kTemporaryMarker).arg(::getpid()));
        { QFile f(old); QVERIFY(f.open(QIODevice::WriteOnly)); f.write("x"); }
        const struct timeval past[2] = {{::time(nullptr) - 7200, 0}, {::time(nullptr) - 7200, 0}};
        QVERIFY(::utimes(old.toLocal8Bit().constData(), past) == 0);
        const QString keep = dir.filePath(".keep.tmp.1.2");
        { QFile f(keep); QVERIFY(f.open(QIODevice::WriteOnly)); f.write("x"); }
        // A fresh temporary of this (live) process must survive: it may be a write in progress.
        const QString live = dir.filePath(QString(".c.bin%1%2.00112233445566ff").arg(kTemporaryMarker).arg(::getpid()));
        { QFile f(live); QVERIFY(f.open(QIODevice::WriteOnly)); f.write("x"); }
        QCOMPARE(entries(dir.path()).size(), 4);
        writeBytesAtomically(dir.filePath("new.bin").toStdString(), "data");
        QStringList want{QFileInfo(keep).fileName(), QFileInfo(live).fileName(), "new.bin"};
        want.sort();
        QStringList have = entries(dir.path());
        have.sort();
        QCOMPARE(have, want);
    }

    void sameFileByInodeAndByPath()
    {
        QTemporaryDir dir;
        const QString a = dir.filePath("a.wav");
        { QFile f(a); QVERIFY(f.open(QIODevice::WriteOnly)); f.write("x"); }
        QVERIFY(sameFile(a.toStdString(), a.toStdString()));
        QVERIFY(sameFile(a.toStdString(), (dir.path() + "/./a.wav").toStdString()));
        QVERIFY(QFile::link(a, dir.filePath("link.wav")));
        QVERIFY(sameFile(a.toStdString(), dir.filePath("link.wav").toStdString()));
        QVERIFY(::link(a.toLocal8Bit().constData(), dir.filePath("hard.wav").toLocal8Bit().constData()) == 0);
        QVERIFY(sameFile(dir.filePath("hard.wav").toStdString(), a.toStdString()));
        QVERIFY(!sameFile(a.toStdString(), dir.filePath("other.wav").toStdString()));
        { QFile f(dir.filePath("b.wav")); QVERIFY(f.open(QIODevice::WriteOnly)); f.write("x"); }
        QVERIFY(!sameFile(a.toStdString(), dir.filePath("b.wav").toStdString()));
        // Neither exists: equal when the canonical paths are, through a symlinked folder too.
        QVERIFY(QDir().mkpath(dir.filePath("real")));
        QVERIFY(QFile::link(dir.filePath("real"), dir.filePath("alias")));
        QVERIFY(sameFile(dir.filePath("real/out.png").toStdString(), dir.filePath("alias/out.png").toStdString()));
        QVERIFY(!sameFile(dir.filePath("real/out.png").toStdString(), dir.filePath("real/out2.png").toStdString()));
    }

    void wavWriterIsAtomic()
    {
        const QString target = dir_.filePath("take.wav");
        const std::vector<float> x(1000, 0.25f);
        writeWavAtomic(target.toStdString(), x.data(), x.size(), 16000);
        const QByteArray first = readAll(target);
        QVERIFY(first.startsWith("RIFF"));
        // A failing write (invalid rate) leaves the previous recording as it was.
        try {
            writeWavAtomic(target.toStdString(), x.data(), x.size(), 0);
            QFAIL("no exception");
        } catch (const AudioError& e) {
            QCOMPARE(e.kind(), AudioErrorKind::WriteFailed);
            QCOMPARE(QString::fromStdString(e.path()), target);
        }
        QCOMPARE(readAll(target), first);
        QVERIFY(!entries(dir_.path()).join(' ').contains("tmp"));
    }
};

QTEST_GUILESS_MAIN(TestAtomicWrite)
#include "test_atomic_write.moc"
