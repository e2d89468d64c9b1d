// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/MainWindow.h"

#include "engine/CurrentModel.h"
#include "gui/AnalyzeTab.h"
#include "gui/RecordTab.h"
#include "gui/TrainTab.h"

#include <QApplication>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>

MainWindow::MainWindow(CurrentModel* model, QWidget* parent)
    : QMainWindow(parent), model_(model), tabs_(new QTabWidget(this)),
      analyze_(new AnalyzeTab(model, this)), record_(new RecordTab(model, this)), train_(new TrainTab(model, this))
{
    setWindowTitle(tr("Emoscope"));
    setWindowIcon(QIcon(QStringLiteral(":/emoscope.svg")));
    tabs_->addTab(analyze_, tr("&Analyze"));
    tabs_->addTab(record_, tr("&Record"));
    tabs_->addTab(train_, tr("&Train"));
    setCentralWidget(tabs_);
    buildMenus();
    resize(1100, 760);

    auto showModel = [this] {
        statusBar()->showMessage(model_->isLoaded() ? tr("Model: %1").arg(model_->path()) : tr("No model loaded"));
    };
    connect(model_, &CurrentModel::changed, this, showModel);
    connect(model_, &CurrentModel::failed, this, [this](const QString& msg) { statusBar()->showMessage(msg); });
    showModel();
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open audio…"), QKeySequence::Open, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Open audio"), QString(), tr("Audio (*.wav *.flac *.ogg *.mp3 *.aiff *.aif);;All files (*)"));
        if (!files.isEmpty())
            openFiles(files);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Emoscope"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::openFiles(const QStringList& files)
{
    tabs_->setCurrentWidget(analyze_);
    statusBar()->showMessage(tr("%n file(s) to analyze", nullptr, int(files.size())));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Emoscope"),
        tr("<h3>Emoscope %1</h3>"
           "<p>Recognises emotion in speech: analyze files, record from the microphone, train on your own data.</p>"
           "<p>Copyright © 2026 the Emoscope developers. Licensed under the "
           "<b>GNU General Public License v3.0 or later</b>.</p>"
           "<p>Built with Qt %2 (GPL/LGPL; Qt Charts GPL-3.0), libtorch (BSD-3-Clause), FFTW3 (GPL-2.0+), "
           "libsndfile (LGPL-2.1+), libsamplerate (BSD-2-Clause), OpenBLAS (BSD-3-Clause), "
           "nlohmann/json (MIT).</p>"
           "<p>The bundled model was trained on TESS (CC BY-NC-ND 4.0, Dupuis &amp; Pichora-Fuller 2010) and "
           "RAVDESS actors 1–12 (CC BY-NC-SA 4.0, Livingstone &amp; Russo 2018): non-commercial use only.</p>")
            .arg(QStringLiteral(EMOSCOPE_VERSION), QString::fromLatin1(qVersion())));
}
