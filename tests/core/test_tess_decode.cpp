// SPDX-License-Identifier: GPL-3.0-or-later
// Every TESS clip listed in manifest.csv decodes at its listed sample rate and frame count (a missing folder fails).
#include "TestData.h"

#include "audio/AudioDecoder.h"
#include "audio/AudioError.h"

#include <QFile>
#include <QTest>

#include <atomic>
#include <mutex>
#include <thread>

using namespace emoscope;

namespace {
struct Row {
    QString path;
    int sampleRate = 0;
    long long frames = 0;
};
} // namespace

class TestTessDecode : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyClipDecodes()
    {
        QFile manifest(testdata::tessDir() + "/manifest.csv");
        QVERIFY2(manifest.open(QIODevice::ReadOnly | QIODevice::Text),
                 qPrintable("cannot open " + manifest.fileName()));
        const QStringList header = QString::fromUtf8(manifest.readLine()).trimmed().split(',');
        const int pathCol = header.indexOf("path"), rateCol = header.indexOf("sample_rate"),
                  framesCol = header.indexOf("frames");
        QVERIFY(pathCol >= 0 && rateCol >= 0 && framesCol >= 0);
        std::vector<Row> rows;
        while (!manifest.atEnd()) {
            const QString line = QString::fromUtf8(manifest.readLine()).trimmed();
            if (line.isEmpty())
                continue;
            const QStringList f = line.split(',');
            QVERIFY(f.size() == header.size());
            rows.push_back({testdata::tessDir() + "/" + f[pathCol], f[rateCol].toInt(), f[framesCol].toLongLong()});
        }
        QCOMPARE(int(rows.size()), 2800);

        // Two threads: loadAudio is documented thread-safe, and this halves the wall time.
        std::atomic<std::size_t> next{0};
        std::mutex mutex;
        QStringList failures;
        std::atomic<int> rates96k{0};
        auto worker = [&] {
            for (std::size_t i; (i = next.fetch_add(1)) < rows.size();) {
                const Row& row = rows[i];
                QString problem;
                try {
                    const AudioInfo info = probeAudio(row.path.toStdString());
                    const AudioBuffer a = loadAudio(row.path.toStdString(), DecodeOptions{0, 600});
                    if (a.sampleRate != row.sampleRate || info.sampleRate != row.sampleRate)
                        problem = QString("rate %1, listed %2").arg(a.sampleRate).arg(row.sampleRate);
                    else if ((long long)a.samples.size() != row.frames || info.frames != row.frames)
                        problem = QString("%1 frames, listed %2").arg(a.samples.size()).arg(row.frames);
                    else if (info.channels != 1 || info.format != "FLAC")
                        problem = QString("%1 channels, %2").arg(info.channels).arg(info.format.c_str());
                    if (a.sampleRate == 96000)
                        ++rates96k;
                } catch (const std::exception& e) {
                    problem = e.what();
                }
                if (!problem.isEmpty()) {
                    std::lock_guard<std::mutex> lock(mutex);
                    failures << row.path + ": " + problem;
                }
            }
        };
        std::thread a(worker), b(worker);
        a.join();
        b.join();
        QVERIFY2(failures.isEmpty(),
                 qPrintable(QString("%1 clips failed, first: %2").arg(failures.size()).arg(failures.value(0))));
        QCOMPARE(rates96k.load(), 1); // golden/README: OAF food fear is TESS's one 96 kHz file
    }
};

QTEST_GUILESS_MAIN(TestTessDecode)
#include "test_tess_decode.moc"
