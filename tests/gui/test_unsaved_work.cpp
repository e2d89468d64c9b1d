// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 9, "nothing the user made is lost", offscreen and without a sound server (the take is pushed PCM):
// an unsaved take prompts on quit and on a new take (Save / Discard / Cancel, answered here by a timer that
// clicks the dialog), recording shows in the title and on the Record tab's label whatever tab is current,
// a finished take sits in the recovery folder until saved and is offered back by a fresh Recorder (the next
// start), and a failed open leaves the analysis and the batch table on screen.
#include "TestData.h"

#include "engine/CurrentModel.h"
#include "engine/Recorder.h"
#include "gui/AnalyzeTab.h"
#include "gui/MainWindow.h"
#include "gui/RecordTab.h"
#include "gui/TrainTab.h"
#include "gui/WaveformView.h"

#include <QAbstractButton>
#include <QApplication>
#include <QAudioFormat>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <cmath>
#include <functional>

namespace {
int recoveryFiles()
{
    return int(QDir(Recorder::recoveryFolder()).entryList({QStringLiteral("take-*.wav")}, QDir::Files).size());
}

// Answers the next modal dialog of type T (polled, since exec() blocks the caller).
template <typename T>
void answerNext(std::function<void(T*)> answer, bool* answered = nullptr)
{
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, answer, answered] {
        if (auto* dialog = qobject_cast<T*>(QApplication::activeModalWidget())) {
            timer->stop();
            timer->deleteLater();
            if (answered)
                *answered = true;
            answer(dialog);
        }
    });
    timer->start();
}

void clickButton(QMessageBox::StandardButton which, bool* answered = nullptr)
{
    answerNext<QMessageBox>([which](QMessageBox* box) { box->button(which)->click(); }, answered);
}

// Does what may ask about the unsaved take, answering the question with `which`; true when it was asked.
bool answeringUnsavedWith(QMessageBox::StandardButton which, const std::function<void()>& action)
{
    bool answered = false;
    clickButton(which, &answered);
    action();
    return answered;
}

// Starts a take on the recorder from pushed PCM (16 kHz mono s16), as a microphone would feed it.
QIODevice* startPushedTake(Recorder* recorder)
{
    QAudioFormat format;
    format.setSampleRate(16000);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Int16);
    return recorder->startPushed(format);
}

// Records `seconds` of a tone into the recorder as pushed PCM and waits for the finished take.
std::shared_ptr<const RecordedTake> recordTake(Recorder* recorder, double seconds)
{
    QSignalSpy finished(recorder, &Recorder::takeFinished);
    QIODevice* device = startPushedTake(recorder);
    QByteArray pcm(int(seconds * 16000) * 2, Qt::Uninitialized);
    auto* s16 = reinterpret_cast<qint16*>(pcm.data());
    for (int i = 0; i < int(seconds * 16000); ++i)
        s16[i] = qint16(std::lround(6000.0 * std::sin(2 * M_PI * 200.0 * i / 16000.0)));
    device->write(pcm);
    QTest::qWait(100);
    recorder->stop();
    if (!finished.wait(10000))
        return nullptr;
    return recorder->lastTake();
}
} // namespace

class TestUnsavedWork : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QDir(Recorder::recoveryFolder()).removeRecursively();
    }
    void cleanupTestCase() { QDir(Recorder::recoveryFolder()).removeRecursively(); }

    void recordingShowsOnEveryTab()
    {
        CurrentModel model;
        MainWindow window(&model);
        window.show();
        Recorder* recorder = window.recordTab()->recorder();
        startPushedTake(recorder);
        window.tabs()->setCurrentWidget(window.analyzeTab());
        QVERIFY2(window.windowTitle().contains(QStringLiteral("Recording")), qPrintable(window.windowTitle()));
        QVERIFY(window.tabs()->tabText(window.tabs()->indexOf(window.recordTab())).contains(QStringLiteral("●")));
        window.tabs()->setCurrentWidget(window.trainTab());
        QVERIFY(window.windowTitle().contains(QStringLiteral("Recording")));
        recorder->stop();
        QVERIFY(!window.windowTitle().contains(QStringLiteral("Recording")));
        QVERIFY(!window.tabs()->tabText(window.tabs()->indexOf(window.recordTab())).contains(QStringLiteral("●")));
    }

    void quitAsksAboutAnUnsavedTake()
    {
        CurrentModel model;
        MainWindow window(&model);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        Recorder* recorder = window.recordTab()->recorder();
        const auto take = recordTake(recorder, 1.0);
        QVERIFY(take && take->audio.samples.size() > 15000);
        QVERIFY(recorder->hasUnsavedTake());
        QVERIFY(window.isWindowModified()); // the "*" in the title
        // The recovery copy is flushed to disk, which can take many seconds while the disk is busy: wait for the
        // write itself, not for a fixed time.
        QTRY_VERIFY_WITH_TIMEOUT(!recorder->isWritingRecovery(), 120000);
        QCOMPARE(recoveryFiles(), 1);

        // Cancel: the window stays, the take stays.
        bool closed = true;
        QVERIFY(answeringUnsavedWith(QMessageBox::Cancel, [&] { closed = window.close(); }));
        QVERIFY(!closed);
        QVERIFY(window.isVisible());
        QVERIFY(recorder->hasUnsavedTake());

        // Save: the file dialog comes, the take is written, then the window closes.
        const QString path = dir_.filePath(QStringLiteral("on-quit.wav"));
        clickButton(QMessageBox::Save);
        answerNext<QFileDialog>([path](QFileDialog* d) {
            d->selectFile(path);
            // Typed as a user would: selectFile alone can lose to the dialog's own asynchronous directory
            // loading, which then accepts the proposed name in another folder.
            if (auto* edit = d->findChild<QLineEdit*>(QStringLiteral("fileNameEdit")))
                edit->setText(path);
            static_cast<QDialog*>(d)->accept(); // QFileDialog::accept (protected there), as OK does
        });
        QSignalSpy saved(recorder, &Recorder::takeSaved);
        window.close();
        QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 60000); // after the save's fsync
        QCOMPARE(saved.count(), 1);
        QCOMPARE(saved.at(0).at(0).toString(), path);
        QVERIFY(QFileInfo(path).size() > 44);
        QVERIFY(!recorder->hasUnsavedTake());
        QCOMPARE(recoveryFiles(), 0);
        // The save dialog starts in the last used folder next time.
        QCOMPARE(QSettings().value(QStringLiteral("folders/recordings")).toString(), QFileInfo(path).absolutePath());
    }

    void quitWhileRecordingAsksAndDiscards()
    {
        CurrentModel model;
        MainWindow window(&model);
        window.show();
        Recorder* recorder = window.recordTab()->recorder();
        QIODevice* device = startPushedTake(recorder);
        device->write(QByteArray(16000 * 2, '\x10'));
        QVERIFY(answeringUnsavedWith(QMessageBox::Discard, [&] { window.close(); }));
        QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 10000);
        QVERIFY(!recorder->isRecording());
        QVERIFY(!recorder->hasUnsavedTake());
        QTRY_VERIFY_WITH_TIMEOUT(!recorder->isWritingRecovery(), 120000);
        QCOMPARE(recoveryFiles(), 0);
    }

    void aNewTakeAsksFirst()
    {
        CurrentModel model;
        RecordTab tab(&model);
        tab.show();
        Recorder* recorder = tab.recorder();
        const auto take = recordTake(recorder, 0.5);
        QVERIFY(take);
        // Cancel: no new take, the old one is kept.
        QVERIFY(answeringUnsavedWith(QMessageBox::Cancel, [&] { tab.toggleRecording(); }));
        QVERIFY(!recorder->isRecording());
        QVERIFY(recorder->lastTake() == take);
        QVERIFY(recorder->hasUnsavedTake());
        QTRY_VERIFY_WITH_TIMEOUT(tab.waveform()->durationSeconds() > 0.2, 5000); // the take is on screen
        // Discard: the take (and its recovery copy) goes, from the screen too.
        QVERIFY(answeringUnsavedWith(QMessageBox::Discard, [&] { tab.toggleRecording(); }));
        QVERIFY(!recorder->lastTake());
        QVERIFY(!recorder->hasUnsavedTake());
        QCOMPARE(tab.waveform()->durationSeconds(), 0.0);
        QCOMPARE(tab.topEmotionLabel()->text(), QStringLiteral("—"));
        QTRY_VERIFY_WITH_TIMEOUT(!recorder->isWritingRecovery(), 120000);
        QCOMPARE(recoveryFiles(), 0);
    }

    void aTakeDiscardedAsTheAppEndsLeavesNoCopy()
    {
        CurrentModel model;
        {
            Recorder recorder(&model);
            QVERIFY(recordTake(&recorder, 0.5));
            QVERIFY(recorder.isWritingRecovery());
            // Discarded, and the app ends at once: the recovery write's completion is never delivered.
            recorder.discardTake();
        }
        QCOMPARE(recoveryFiles(), 0); // else the next start would offer the take the user threw away
    }

    void anUnsavedTakeIsOfferedAtTheNextStart()
    {
        CurrentModel model;
        std::shared_ptr<const RecordedTake> take;
        {
            Recorder first(&model);
            take = recordTake(&first, 0.8);
            QVERIFY(take);
            QTRY_VERIFY_WITH_TIMEOUT(!first.isWritingRecovery(), 120000);
            QCOMPARE(recoveryFiles(), 1);
        } // the app ends without saving (as a crash or a kill would)
        QCOMPARE(recoveryFiles(), 1);
        Recorder next(&model);
        QSignalSpy recovered(&next, &Recorder::takeRecovered);
        next.restoreRecoveredTake();
        QVERIFY(recovered.wait(10000));
        QVERIFY(next.hasUnsavedTake());
        QCOMPARE(next.lastTake()->audio.sampleRate, take->audio.sampleRate);
        QCOMPARE(next.lastTake()->audio.samples.size(), take->audio.samples.size());
        const QString saved = dir_.filePath(QStringLiteral("recovered.wav"));
        QSignalSpy savedSpy(&next, &Recorder::takeSaved);
        next.saveTake(saved);
        QVERIFY(savedSpy.wait(60000)); // the save is flushed to disk
        QCOMPARE(savedSpy.first().at(1).toString(), QString());
        QCOMPARE(recoveryFiles(), 0);
    }

    void aFailedOpenKeepsTheView()
    {
        CurrentModel model;
        const QString modelFile = qEnvironmentVariable("EMOSCOPE_TEST_MODEL", testdata::bundledModel());
        QVERIFY2(model.loadNow(modelFile), qPrintable(modelFile));
        MainWindow window(&model);
        window.show();
        AnalyzeTab* analyze = window.analyzeTab();
        QSignalSpy shown(analyze, &AnalyzeTab::analysisShown);
        QSignalSpy batch(analyze, &AnalyzeTab::batchShown);
        const QString a = testdata::tessDir() + QStringLiteral("/OAF_angry/OAF_back_angry.flac");
        const QString b = testdata::tessDir() + QStringLiteral("/YAF_sad/YAF_bath_sad.flac");
        window.openFiles({a, b});
        QVERIFY(batch.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, 60000);
        QVERIFY(analyze->result() && analyze->result()->ok());
        const QString source = analyze->result()->source;
        QCOMPARE(analyze->resultsTable()->rowCount(), 2);

        const QString missing = dir_.filePath(QStringLiteral("gone-missing.wav"));
        shown.clear();
        window.openFiles({missing});
        QVERIFY(shown.wait(20000));
        QVERIFY(!shown.first().first().value<std::shared_ptr<const AnalysisResult>>()->ok());
        // The analysis, its audio and the batch table are as they were; the message names the file.
        QCOMPARE(analyze->result()->source, source);
        QVERIFY(analyze->resultsTable()->isVisibleTo(analyze));
        QCOMPARE(analyze->resultsTable()->rowCount(), 2);
        QVERIFY(analyze->batch());
        QVERIFY2(analyze->message().contains(QStringLiteral("gone-missing.wav")), qPrintable(analyze->message()));
        QVERIFY(!window.recentFiles().contains(QFileInfo(missing).absoluteFilePath()));
        QVERIFY(window.recentFiles().contains(QFileInfo(a).absoluteFilePath()));

        // A file that opens on its own does replace the table.
        shown.clear();
        window.openFiles({b});
        QVERIFY(shown.wait(60000));
        QVERIFY(!analyze->batch());
        QVERIFY(!analyze->resultsTable()->isVisibleTo(analyze));
    }
};

int main(int argc, char** argv)
{
    // No sound server: the take is pushed PCM, and playback is unavailable.
    qputenv("PULSE_SERVER", "unix:/nonexistent/emoscope-test-no-pulse");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EmoscopeTests"));
    QApplication::setApplicationName(QStringLiteral("test_unsaved_work"));
    TestUnsavedWork test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_unsaved_work.moc"
