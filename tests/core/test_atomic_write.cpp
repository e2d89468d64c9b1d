// SPDX-License-Identifier: GPL-3.0-or-later
// Atomic writes: the old file survives a failing writer, no temporary is left behind, success replaces the content.
#include "audio/AudioError.h"
#include "audio/WavWriter.h"
#include "util/AtomicFile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>
#include <fstream>

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

    void writerThatCreatesNothingFails()
    {
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
