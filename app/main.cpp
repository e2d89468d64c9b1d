// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/Async.h"
#include "engine/CurrentModel.h"
#include "engine/Recorder.h"
#include "engine/SoundServerWatch.h"
#include "gui/AnalyzeTab.h"
#include "gui/MainWindow.h"
#include "gui/RecordTab.h"
#include "infer/Classifier.h"
#include "net/TorchThreads.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QGuiApplication>
#include <QTabWidget>
#include <QTimer>
#include <cstdio>
#include <climits>
#include <cstdlib>
#include <unistd.h>

namespace {
// Hidden --screenshot support (README images): grab the window once the requested tab has something to show.
void scheduleScreenshot(MainWindow& window, const QString& out, const QString& tab, double recordSeconds)
{
    auto grabAndQuit = [&window, out] {
        QTimer::singleShot(800, &window, [&window, out] {
            const bool ok = window.grab().save(out);
            std::fprintf(stderr, ok ? "emoscope: screenshot written to %s\n" : "emoscope: cannot write %s\n",
                         qPrintable(out));
            QApplication::exit(ok ? 0 : 1);
        });
    };
    if (tab == QLatin1String("record")) {
        window.tabs()->setCurrentWidget(window.recordTab());
        Recorder* recorder = window.recordTab()->recorder();
        QObject::connect(recorder, &Recorder::takeClassified, &window, grabAndQuit);
        QObject::connect(recorder, &Recorder::error, &window, grabAndQuit);
        // Devices can appear a moment after start-up: wait for one, then record.
        auto* poll = new QTimer(&window);
        QObject::connect(poll, &QTimer::timeout, &window, [&window, poll, recordSeconds, grabAndQuit] {
            static int tries = 0;
            if (!window.recordTab()->hasInputDevice() && ++tries < 50)
                return;
            poll->stop();
            if (!window.recordTab()->hasInputDevice()) {
                grabAndQuit();
                return;
            }
            window.recordTab()->toggleRecording();
            QTimer::singleShot(int(recordSeconds * 1000), &window, [&window] { window.recordTab()->toggleRecording(); });
        });
        poll->start(200);
    } else {
        QObject::connect(window.analyzeTab(), &AnalyzeTab::analysisShown, &window, grabAndQuit);
    }
    QTimer::singleShot(120000, &window, [] { QApplication::exit(3); }); // never hang a script
}
} // namespace

// libtorch's OpenMP workers spin between operations by default. Beside the GUI, capture and analysis threads on a
// 2-core machine they starve the thread they wait for: single-clip inference p90 went from 4 ms to 94 ms
// (bench_inference). libgomp reads OMP_WAIT_POLICY only when it is loaded, before main(), so set it and
// restart once; the user's own setting always wins.
// The restart executes the binary's real path: the kernel names a process after the file it executes, so
// executing "/proc/self/exe" made the app show up as "exe" in ps and top. argv (and argv[0]) are passed as given.
static void ensurePassiveOpenMpWaiting(char** argv)
{
    if (std::getenv("OMP_WAIT_POLICY"))
        return;
    char self[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return; // cannot restart: run with the default policy
    self[n] = '\0';
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    execv(self, argv); // returns only on failure (e.g. the binary was replaced): then run with the default policy
}

int main(int argc, char** argv)
{
    ensurePassiveOpenMpWaiting(argv);
    // Without a display Qt would abort with a cryptic plugin error: say what to do instead.
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        std::fprintf(stderr,
                     "emoscope: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open.\n"
                     "Use the command line instead, for example:\n"
                     "  emoscope-cli classify FILE.wav\n"
                     "  emoscope-cli --help\n"
                     "or run under a virtual display: xvfb-run emoscope FILE.wav\n");
        return 2;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Emoscope"));
    QApplication::setOrganizationName(QStringLiteral("Emoscope"));
    QApplication::setApplicationVersion(QStringLiteral(EMOSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Recognise emotion in speech."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption modelOption(QStringLiteral("model"), QStringLiteral("Model file to use."), QStringLiteral("FILE"));
    parser.addOption(modelOption);
    QCommandLineOption screenshotOption(QStringLiteral("screenshot"), QStringLiteral("Save a window grab and quit."),
                                        QStringLiteral("PNG"));
    screenshotOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshotOption);
    QCommandLineOption tabOption(QStringLiteral("tab"), QStringLiteral("analyze or record (with --screenshot)."),
                                 QStringLiteral("TAB"), QStringLiteral("analyze"));
    tabOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(tabOption);
    QCommandLineOption recordOption(QStringLiteral("record-seconds"),
                                    QStringLiteral("Take length for --tab record --screenshot."), QStringLiteral("S"),
                                    QStringLiteral("3"));
    recordOption.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(recordOption);
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Audio files to analyze."), QStringLiteral("[FILE...]"));
    parser.process(app);

    // Before anything touches audio devices: Qt 6.4 alone loses a sound server that restarts slowly or starts late.
    SoundServerWatch::install();
    emoscope::setTorchThreads(0); // libtorch (training, adaptation, saliency) and the BLAS pool (analysis)
    CurrentModel model;
    MainWindow window(&model);
    const QString modelPath = parser.isSet(modelOption)
        ? parser.value(modelOption)
        : engine::fromCore(emoscope::Classifier::findDefaultModel(argv[0]));
    if (!modelPath.isEmpty())
        model.loadNow(modelPath);
    // A take an earlier run recorded but never saved (it crashed, was killed, or lost power) is offered back.
    if (!parser.isSet(screenshotOption))
        window.recordTab()->recorder()->restoreRecoveredTake();
    if (parser.isSet(screenshotOption))
        scheduleScreenshot(window, parser.value(screenshotOption), parser.value(tabOption),
                           parser.value(recordOption).toDouble());
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openFiles(parser.positionalArguments());
    return app.exec();
}
