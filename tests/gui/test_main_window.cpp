// SPDX-License-Identifier: GPL-3.0-or-later
// The window opens offscreen with its three tabs and menus, states its licence, survives having no audio
// device at all (Record shows why it cannot record), remembers the colour map, and treats a drop of files
// as "open these" (a missing file is reported by name).
#include "TestData.h"

#include "engine/CurrentModel.h"
#include "engine/Recorder.h"
#include "gui/AnalyzeTab.h"
#include "gui/MainWindow.h"
#include "gui/RecordTab.h"
#include "gui/TrainTab.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QMenuBar>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

namespace {
QStringList menuTitles(QMenuBar* bar)
{
    QStringList titles;
    for (QAction* a : bar->actions())
        titles << a->text().remove(QLatin1Char('&'));
    return titles;
}
QAction* findAction(QMenu* menu, const QString& text)
{
    for (QAction* a : menu->actions())
        if (a->text().remove(QLatin1Char('&')).startsWith(text))
            return a;
    return nullptr;
}
} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void opensWithThreeTabsAndMenus()
    {
        CurrentModel model;
        MainWindow window(&model);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.tabs()->count(), 4);
        QCOMPARE(window.tabs()->tabText(0).remove(QLatin1Char('&')), QStringLiteral("Analyze"));
        QCOMPARE(window.tabs()->tabText(1).remove(QLatin1Char('&')), QStringLiteral("Record"));
        QCOMPARE(window.tabs()->tabText(2).remove(QLatin1Char('&')), QStringLiteral("Train"));
        QCOMPARE(window.tabs()->tabText(3).remove(QLatin1Char('&')), QStringLiteral("Personalize"));
        QCOMPARE(menuTitles(window.menuBar()), (QStringList{"File", "View", "Help"}));

        QMenu* file = window.menuBar()->actions().at(0)->menu();
        QAction* open = findAction(file, QStringLiteral("Open audio"));
        QVERIFY(open);
        QCOMPARE(open->shortcut(), QKeySequence(QKeySequence::Open));
        QVERIFY(findAction(file, QStringLiteral("Open recent")));
        QVERIFY(findAction(file, QStringLiteral("Open model")));
        QAction* record = findAction(file, QStringLiteral("Record"));
        QVERIFY(record);
        QCOMPARE(record->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
        QMenu* help = window.menuBar()->actions().at(2)->menu();
        QVERIFY(findAction(help, QStringLiteral("Model card")));
        QVERIFY(findAction(help, QStringLiteral("About Emoscope")));
    }

    void aboutNamesTheLicence()
    {
        QVERIFY(MainWindow::aboutText().contains(QStringLiteral("GPL-3.0-or-later")));
    }

    void noAudioDeviceIsExplainedNotFatal()
    {
        // main() below points PulseAudio at a socket that does not exist: Qt sees no devices at all.
        CurrentModel model;
        MainWindow window(&model);
        window.show();
        RecordTab* record = window.recordTab();
        QVERIFY(!record->hasInputDevice());
        QVERIFY2(record->message().contains(QStringLiteral("No audio input device")), qPrintable(record->message()));
        QVERIFY(!record->recordButton()->isEnabled());
        // Ctrl+R anyway (from the Analyze tab: the shortcut brings up Record): a message, no crash, not recording.
        window.tabs()->setCurrentWidget(window.analyzeTab());
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier);
        QCOMPARE(window.tabs()->currentWidget(), record);
        QVERIFY(!record->recorder()->isRecording());
        QVERIFY(record->message().contains(QStringLiteral("No audio input device")));
        // Playback is disabled with the reason as its tooltip.
        QVERIFY(!window.analyzeTab()->playButton()->isEnabled());
        QVERIFY(window.analyzeTab()->playButton()->toolTip().contains(QStringLiteral("no audio output device")));
    }

    void colourMapPersists()
    {
        {
            CurrentModel model;
            MainWindow window(&model);
            window.setColorMap(QStringLiteral("viridis"));
            QCOMPARE(window.colorMapName(), QStringLiteral("viridis"));
        }
        CurrentModel model;
        MainWindow window(&model);
        QCOMPARE(window.colorMapName(), QStringLiteral("viridis"));
        window.setColorMap(QStringLiteral("gray"));
        QCOMPARE(QSettings().value(QStringLiteral("view/colorMap")).toString(), QStringLiteral("gray"));
    }

    void dropOpensFilesAndReportsMissingOnes()
    {
        CurrentModel model;
        MainWindow window(&model);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.tabs()->setCurrentWidget(window.recordTab());
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("no-such-clip.wav"));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(missing)});
        QSignalSpy shown(window.analyzeTab(), &AnalyzeTab::analysisShown);
        const QPoint at = window.rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QCOMPARE(window.tabs()->currentWidget(), window.analyzeTab());
        QVERIFY(shown.wait(20000));
        QVERIFY2(window.analyzeTab()->message().contains(QStringLiteral("no-such-clip.wav")),
                 qPrintable(window.analyzeTab()->message()));
        // A drop of something that is not a file is refused.
        QMimeData text;
        text.setText(QStringLiteral("hello"));
        QDragEnterEvent refuse(at, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
        refuse.ignore();
        QApplication::sendEvent(&window, &refuse);
        QVERIFY(!refuse.isAccepted());
    }

    void trainTabCanSendFilesToAnalyze()
    {
        CurrentModel model;
        MainWindow window(&model);
        window.tabs()->setCurrentWidget(window.trainTab());
        QSignalSpy shown(window.analyzeTab(), &AnalyzeTab::analysisShown);
        Q_EMIT window.trainTab()->openInAnalyzeRequested({QStringLiteral("/nonexistent/from-train.wav")});
        QCOMPARE(window.tabs()->currentWidget(), window.analyzeTab());
        QVERIFY(shown.wait(20000));
        QVERIFY(window.analyzeTab()->message().contains(QStringLiteral("from-train.wav")));
    }

    void recentFilesRemembered()
    {
        QSettings().remove(QStringLiteral("analyze/recentFiles"));
        CurrentModel model;
        MainWindow window(&model);
        const QString clip = testdata::tessDir() + QStringLiteral("/OAF_angry/OAF_back_angry.flac");
        QVERIFY2(QFileInfo::exists(clip), qPrintable(clip));
        QSignalSpy shown(window.analyzeTab(), &AnalyzeTab::analysisShown);
        window.openFiles({clip});
        QVERIFY(shown.wait(20000)); // remembered once it has opened (issue 9: only files that opened)
        QCOMPARE(window.recentFiles().value(0), QFileInfo(clip).absoluteFilePath());
        // A file that cannot be opened is not added.
        QTemporaryDir dir;
        const QString broken = dir.filePath(QStringLiteral("broken.wav"));
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not audio at all");
        f.close();
        window.openFiles({broken});
        QVERIFY(shown.wait(20000));
        QVERIFY(!window.recentFiles().contains(QFileInfo(broken).absoluteFilePath()));
        QCOMPARE(window.recentFiles().value(0), QFileInfo(clip).absoluteFilePath());
    }
};

int main(int argc, char** argv)
{
    // No sound server reachable: the "no device" case, whatever the machine running the tests has.
    qputenv("PULSE_SERVER", "unix:/nonexistent/emoscope-test-no-pulse");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EmoscopeTests"));
    QApplication::setApplicationName(QStringLiteral("test_main_window"));
    TestMainWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_main_window.moc"
