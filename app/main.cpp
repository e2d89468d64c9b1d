// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/CurrentModel.h"
#include "gui/MainWindow.h"
#include "infer/Classifier.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QGuiApplication>
#include <cstdio>

int main(int argc, char** argv)
{
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
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Audio files to analyze."), QStringLiteral("[FILE...]"));
    parser.process(app);

    emoscope::setComputeThreads(0);
    CurrentModel model;
    MainWindow window(&model);
    const QString modelPath = parser.isSet(modelOption)
        ? parser.value(modelOption)
        : QString::fromStdString(emoscope::Classifier::findDefaultModel(argv[0]));
    if (!modelPath.isEmpty())
        model.loadNow(modelPath);
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openFiles(parser.positionalArguments());
    return app.exec();
}
