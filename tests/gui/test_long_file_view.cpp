// SPDX-License-Identifier: GPL-3.0-or-later
// A recording longer than AnalysisEngine::kStreamSeconds in the Analyze tab: its analysis streams (partial results
// with a growing overview and timeline arrive before the final one, the GUI thread keeps running), the final result
// holds an overview instead of the samples and the same summary as core's timelineFile, and Cancel stops it and
// leaves the tab ready for the next file.
#include "LongWavFixture.h"
#include "TestData.h"
#include "engine/AnalysisEngine.h"
#include "engine/CurrentModel.h"
#include "gui/AnalyzeTab.h"
#include "gui/WaveformView.h"
#include "infer/Classifier.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

namespace {
std::vector<std::string> tessClips()
{
    std::vector<std::string> out;
    for (const char* c : {"OAF_angry/OAF_back_angry.flac", "YAF_happy/YAF_back_happy.flac", "OAF_sad/OAF_back_sad.flac"})
        out.push_back(QFile::encodeName(testdata::tessDir() + "/" + c).toStdString());
    return out;
}
} // namespace

class TestLongFileView : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    CurrentModel model_;
    QString long_;
    const double seconds_ = AnalysisEngine::kStreamSeconds + 60.0;

    std::shared_ptr<const AnalysisResult> waitFinal(AnalyzeTab& tab, const QString& source)
    {
        QElapsedTimer timer;
        timer.start();
        QSignalSpy spy(&tab, &AnalyzeTab::analysisShown);
        while (timer.elapsed() < 600000) {
            if (tab.result() && tab.result()->source == source && !tab.engine()->isBusy()) return tab.result();
            spy.wait(200);
        }
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        model_.set(emoscope::Classifier::load(QFile::encodeName(testdata::bundledModel()).toStdString()));
        long_ = dir_.filePath("eleven_minutes.wav");
        fixtures::writeLongSpeechWav(QFile::encodeName(long_).toStdString(), seconds_, tessClips());
    }

    void longFileStreamsIntoTheViews()
    {
        AnalyzeTab tab(&model_);
        tab.resize(1000, 700);
        tab.show();
        QSignalSpy partial(tab.engine(), &AnalysisEngine::partial);
        int ticks = 0; // the GUI thread's event loop keeps running while the file is analysed
        QTimer tick;
        QObject::connect(&tick, &QTimer::timeout, [&] { ++ticks; });
        tick.start(20);
        tab.openFiles({long_});
        const auto r = waitFinal(tab, long_);
        QVERIFY(r);
        QVERIFY2(r->ok(), qPrintable(r->error));
        QVERIFY(partial.count() >= 1);
        const auto first = partial.first().first().value<std::shared_ptr<const AnalysisResult>>();
        QVERIFY(first->partial && first->streamed);
        QVERIFY(first->progress > 0 && first->progress < 1.0);
        QVERIFY(first->streamedSeconds < seconds_);
        QVERIFY(!first->peaks.empty());
        // Partial timelines grow and are prefixes of the final one.
        std::size_t last = 0;
        for (const auto& args : partial) {
            const auto p = args.first().value<std::shared_ptr<const AnalysisResult>>();
            QVERIFY(p->timeline.size() >= last);
            last = p->timeline.size();
        }
        QVERIFY(last < r->timeline.size());
        QVERIFY(ticks > 5);

        QVERIFY(r->streamed && !r->partial);
        QVERIFY(r->audio.samples.empty()); // the samples were never held
        QVERIFY(std::abs(r->durationSeconds() - seconds_) < 1e-3);
        QCOMPARE(int(r->timeline.size()), int((seconds_ - 2.5) / 0.5) + 1);
        QVERIFY(!r->logMelDb.empty() && r->logMelDb.frames <= 4000);
        QVERIFY(std::abs(tab.waveform()->durationSeconds() - seconds_) < 1.0);
        QVERIFY(!tab.cancelButton()->isVisible());
        // The same summary as core's own streaming call.
        const auto expected = model_.classifier()->timelineFile(QFile::encodeName(long_).toStdString());
        QCOMPARE(r->probabilities, expected.verdict.probabilities);
        QCOMPARE(r->timeline.size(), expected.windows.size());
    }

    void cancelStopsAndTheNextFileWorks()
    {
        AnalyzeTab tab(&model_);
        tab.show();
        QSignalSpy partial(tab.engine(), &AnalysisEngine::partial);
        QSignalSpy shown(&tab, &AnalyzeTab::analysisShown);
        tab.openFiles({long_});
        QVERIFY(partial.wait(60000));
        QTRY_VERIFY(tab.cancelButton()->isVisible());
        tab.cancelButton()->click();
        QVERIFY(!tab.cancelButton()->isVisible());
        QVERIFY(tab.message().contains("cancelled"));
        const QString clip = testdata::tessDir() + "/OAF_angry/OAF_back_angry.flac";
        tab.openFiles({clip});
        const auto r = waitFinal(tab, clip);
        QVERIFY(r && r->ok());
        for (const auto& args : shown) // the cancelled long file never produced a final result
            QVERIFY(args.first().value<std::shared_ptr<const AnalysisResult>>()->source != long_);
    }
};

QTEST_MAIN(TestLongFileView)
#include "test_long_file_view.moc"
