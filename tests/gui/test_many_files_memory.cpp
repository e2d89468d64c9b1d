// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 11 item 6: the GUI keeps a flat RSS over 200 opened files of mixed rates. Ten TESS clips are written at
// twenty sample rates (common and odd ones, so the per-rate resampler designs and FFT plans cycle through their
// LRU caches), then opened one after the other in the main window, each waited for; the resident set after the
// last file may exceed the one after the first 50 (caches warm) by at most kGrowthMb.
#include "TestData.h"

#include "audio/AudioDecoder.h"
#include "audio/WavWriter.h"
#include "engine/AnalysisEngine.h"
#include "engine/CurrentModel.h"
#include "gui/AnalyzeTab.h"
#include "gui/MainWindow.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {
constexpr double kGrowthMb = 64.0;

double residentMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}
} // namespace

class TestManyFilesMemory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(tmp_.isValid());
        QVERIFY2(model_.loadNow(testdata::bundledModel()), qPrintable(testdata::bundledModel()));
    }

    void twoHundredFilesKeepRssFlat()
    {
        QStringList clips;
        QDirIterator it(testdata::tessDir() + QStringLiteral("/YAF_happy"), {QStringLiteral("*.flac"), QStringLiteral("*.wav")});
        while (it.hasNext() && clips.size() < 10)
            clips << it.next();
        QCOMPARE(clips.size(), 10);
        const int rates[] = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 96000,
                             7919, 12345, 17000, 19999, 23456, 30001, 37800, 41000, 50000, 64000};
        QStringList files;
        for (int i = 0; i < 200; ++i) {
            const auto audio = emoscope::loadAudio(clips[i % 10].toStdString());
            const int rate = rates[(i / 10 + i) % 20]; // every clip at many rates, rates interleaved
            const QString path = tmp_.filePath(QStringLiteral("f%1-%2.wav").arg(i, 3, 10, QLatin1Char('0')).arg(rate));
            // The same samples under another rate: a valid file of another length and pitch, all that matters here.
            emoscope::writeWavAtomic(path.toStdString(), audio.samples.data(), audio.samples.size(), rate);
            files << path;
        }

        MainWindow window(&model_);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        AnalyzeTab* tab = window.analyzeTab();
        double afterWarmUp = 0, peak = 0;
        for (int i = 0; i < files.size(); ++i) {
            window.openFiles({files[i]});
            QElapsedTimer timer;
            timer.start();
            while (!(tab->result() && tab->result()->source == files[i] && !tab->engine()->isBusy())) {
                QVERIFY2(timer.elapsed() < 60000, qPrintable(files[i]));
                QTest::qWait(10);
            }
            QVERIFY2(tab->result()->ok(), qPrintable(tab->result()->error));
            const double rss = residentMb();
            peak = std::max(peak, rss);
            if (i == 49)
                afterWarmUp = rss;
            if ((i + 1) % 50 == 0)
                qInfo("after %d files: RSS %.0f MB", i + 1, rss);
        }
        const double last = residentMb();
        QVERIFY(afterWarmUp > 0 && last > 0);
        QVERIFY2(last - afterWarmUp <= kGrowthMb,
                 qPrintable(QStringLiteral("RSS grew from %1 MB after 50 files to %2 MB after 200 (peak %3 MB)")
                                .arg(afterWarmUp, 0, 'f', 0).arg(last, 0, 'f', 0).arg(peak, 0, 'f', 0)));
    }

private:
    QTemporaryDir tmp_;
    CurrentModel model_;
};

QTEST_MAIN(TestManyFilesMemory)
#include "test_many_files_memory.moc"
