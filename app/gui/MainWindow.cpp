// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/MainWindow.h"

#include "engine/AnalysisResult.h"
#include "engine/BatchResult.h"
#include "engine/CurrentModel.h"
#include "engine/Recorder.h"
#include "gui/AnalyzeTab.h"
#include "gui/ColorMap.h"
#include "gui/MisclassifiedBrowser.h"
#include "gui/ModelCardDialog.h"
#include "gui/PersonalizeTab.h"
#include "gui/RecordTab.h"
#include "gui/TrainTab.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QUrl>

namespace {
const char* const kRecentKey = "analyze/recentFiles";
const char* const kAudioFolderKey = "folders/audio";
const char* const kModelFolderKey = "folders/model";
const char* const kColorMapKey = "view/colorMap";
const char* const kGeometryKey = "window/geometry";
const char* const kStateKey = "window/state";
constexpr int kMaxRecent = 10;
} // namespace

MainWindow::MainWindow(CurrentModel* model, QWidget* parent)
    : QMainWindow(parent), model_(model), tabs_(new QTabWidget(this)),
      analyze_(new AnalyzeTab(model, this)), record_(new RecordTab(model, this)), train_(new TrainTab(model, this))
{
    setWindowTitle(tr("Emoscope[*]"));
    setWindowIcon(QIcon(QStringLiteral(":/emoscope.svg")));
    tabs_->addTab(analyze_, tr("&Analyze"));
    tabs_->addTab(record_, tr("&Record"));
    tabs_->addTab(train_, tr("&Train"));
    tabs_->addTab(new PersonalizeTab(model, this), tr("&Personalize"));
    setCentralWidget(tabs_);
    setAcceptDrops(true);
    buildMenus();

    QSettings settings;
    if (!restoreGeometry(settings.value(QLatin1String(kGeometryKey)).toByteArray()))
        // The preferred size, but never larger than the screen (a 1000x700 desktop, or a high scale factor).
        resize(defaultSize(screen() ? screen()->availableGeometry().size() : QSize(1180, 800)));
    restoreState(settings.value(QLatin1String(kStateKey)).toByteArray());
    setColorMap(settings.value(QLatin1String(kColorMapKey), QStringLiteral("magma")).toString());

    connect(analyze_, &AnalyzeTab::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m); });
    connect(record_, &RecordTab::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m); });
    connect(record_, &RecordTab::sendToAnalyze, this, [this](const emoscope::AudioBuffer& audio, const QString& name) {
        tabs_->setCurrentWidget(analyze_);
        analyze_->analyzeAudio(audio, name);
    });
    connect(train_, &TrainTab::openInAnalyzeRequested, this, &MainWindow::openFiles);

    // Recent files: only what opened. A file that fails leaves the list (it may have been there from before).
    connect(analyze_, &AnalyzeTab::analysisShown, this, [this](std::shared_ptr<const AnalysisResult> r) {
        if (r && r->ok()) { // the title names what is on show
            shownFile_ = QFileInfo(r->source).fileName().isEmpty() ? r->source : QFileInfo(r->source).fileName();
            updateRecordingIndicator();
        }
        if (!r || !QFileInfo(r->source).isFile())
            return;
        if (r->ok())
            addRecent({r->source});
        else
            removeRecent(r->source);
    });
    connect(analyze_, &AnalyzeTab::batchShown, this, [this](std::shared_ptr<const BatchResult> batch) {
        QStringList opened;
        for (const auto& row : batch->rows) {
            const QString file = QString::fromStdString(row.file);
            if (row.top() >= 0)
                opened << file;
            else
                removeRecent(file);
        }
        addRecent(opened);
    });

    // Recording shows on every tab: in the title, on the Record tab's label and in the status bar.
    recordingBadge_ = new QLabel(this);
    recordingBadge_->setObjectName(QStringLiteral("recordingBadge"));
    recordingBadge_->setStyleSheet(QStringLiteral("QLabel { color: white; background: #c62828; padding: 1px 6px; font-weight: bold; }"));
    statusBar()->addPermanentWidget(recordingBadge_);
    Recorder* recorder = record_->recorder();
    connect(recorder, &Recorder::recordingChanged, this, &MainWindow::updateRecordingIndicator);
    connect(recorder, &Recorder::unsavedChanged, this, &MainWindow::updateRecordingIndicator);
    connect(recorder, &Recorder::deviceLost, this, [this](const QString& m) { statusBar()->showMessage(m); });
    connect(recorder, &Recorder::takeRecovered, this, [this] {
        tabs_->setCurrentWidget(record_);
        statusBar()->showMessage(tr("An unsaved take from an earlier session was recovered: see the Record tab."));
    });
    updateRecordingIndicator();

    auto showModel = [this] {
        statusBar()->showMessage(model_->isLoaded() ? tr("Model: %1").arg(model_->path())
                                                    : tr("No model loaded: File › Open model…"));
    };
    connect(model_, &CurrentModel::changed, this, showModel);
    connect(model_, &CurrentModel::loading, this,
            [this](const QString& path) { statusBar()->showMessage(tr("Checking model %1…").arg(path)); });
    connect(model_, &CurrentModel::failed, this, [this](const QString& msg) {
        const QString kept = model_->isLoaded() ? tr(" Still using %1.").arg(QFileInfo(model_->path()).fileName()) : QString();
        statusBar()->showMessage(tr("Model not loaded: %1.%2").arg(msg, kept));
        analyze_->showMessage(tr("Model not loaded: %1.%2").arg(msg, kept), true);
    });
    showModel();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open audio…"), QKeySequence::Open, this, [this] {
        QSettings settings;
        const QStringList files = QFileDialog::getOpenFileNames(
            this, tr("Open audio"), settings.value(QLatin1String(kAudioFolderKey)).toString(),
            tr("Audio (*.wav *.flac *.ogg *.mp3 *.aiff *.aif);;All files (*)"));
        if (!files.isEmpty())
            openFiles(files);
    });
    recentMenu_ = file->addMenu(tr("Open &recent"));
    connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    rebuildRecentMenu();
    file->addAction(tr("Open &model…"), this, [this] {
        QSettings settings;
        const QString path = QFileDialog::getOpenFileName(this, tr("Open model"),
                                                          settings.value(QLatin1String(kModelFolderKey)).toString(),
                                                          tr("Emoscope models (*.pt);;All files (*)"));
        if (!path.isEmpty())
            openModel(path);
    });
    file->addSeparator();
    file->addAction(tr("Record / &stop"), QKeySequence(Qt::CTRL | Qt::Key_R), this, [this] {
        tabs_->setCurrentWidget(record_);
        record_->toggleRecording();
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QMenu* maps = view->addMenu(tr("&Colour map"));
    colorMaps_ = new QActionGroup(this);
    colorMaps_->setExclusive(true);
    for (const QString& name : ColorMap::names()) {
        QAction* a = maps->addAction(name, this, [this, name] { setColorMap(name); });
        a->setCheckable(true);
        a->setData(name);
        colorMaps_->addAction(a);
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Model card"), this, &MainWindow::showModelCard);
    help->addSeparator();
    help->addAction(tr("&About Emoscope"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

QSize MainWindow::defaultSize(const QSize& available)
{
    // resize() sets the client area: leave room for the window manager's title bar and borders.
    const QSize frame(8, 40);
    return QSize(1180, 800).boundedTo((available - frame).expandedTo(QSize(320, 240)));
}

QStringList MainWindow::recentFiles() const
{
    return QSettings().value(QLatin1String(kRecentKey)).toStringList();
}

void MainWindow::rebuildRecentMenu()
{
    recentMenu_->clear();
    const QStringList recent = recentFiles();
    for (const QString& f : recent)
        recentMenu_->addAction(QFileInfo(f).fileName(), this, [this, f] { openFiles({f}); })->setToolTip(f);
    if (recent.isEmpty())
        recentMenu_->addAction(tr("(none)"))->setEnabled(false);
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("Clear"), this, [] { QSettings().remove(QLatin1String(kRecentKey)); })
        ->setEnabled(!recent.isEmpty());
}

void MainWindow::addRecent(const QStringList& files)
{
    QStringList recent = recentFiles();
    for (auto it = files.rbegin(); it != files.rend(); ++it) {
        const QString path = QFileInfo(*it).absoluteFilePath();
        recent.removeAll(path);
        recent.prepend(path);
    }
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings settings;
    settings.setValue(QLatin1String(kRecentKey), recent);
    if (!files.isEmpty())
        settings.setValue(QLatin1String(kAudioFolderKey), QFileInfo(files.first()).absolutePath());
}

void MainWindow::removeRecent(const QString& file)
{
    QStringList recent = recentFiles();
    if (recent.removeAll(QFileInfo(file).absoluteFilePath()) > 0)
        QSettings().setValue(QLatin1String(kRecentKey), recent);
}

void MainWindow::openFiles(const QStringList& files)
{
    if (files.isEmpty())
        return;
    tabs_->setCurrentWidget(analyze_);
    // The open dialog starts where the last file came from; Recent files gets only what opens (analysisShown).
    for (const QString& f : files)
        if (QFileInfo(f).isFile()) {
            QSettings().setValue(QLatin1String(kAudioFolderKey), QFileInfo(f).absolutePath());
            break;
        }
    if (record_->recorder()->isRecording())
        statusBar()->showMessage(tr("Still recording on the Record tab (Ctrl+R stops it)."));
    analyze_->openFiles(files); // missing files are reported by the analysis, by name
}

void MainWindow::updateRecordingIndicator()
{
    const Recorder* recorder = record_->recorder();
    const bool recording = recorder->isRecording();
    // "name.wav — Emoscope": the file on show first, as desktop apps name their document.
    const QString app = shownFile_.isEmpty() ? tr("Emoscope[*]") : tr("%1[*] — Emoscope").arg(shownFile_);
    setWindowTitle(recording ? tr("● Recording — %1").arg(app) : app);
    setWindowModified(!recording && recorder->hasUnsavedTake()); // "*": a take that quitting would lose
    tabs_->setTabText(tabs_->indexOf(record_), recording ? tr("● &Record") : tr("&Record"));
    recordingBadge_->setText(tr("● REC"));
    recordingBadge_->setVisible(recording);
}

void MainWindow::openModel(const QString& path)
{
    QSettings().setValue(QLatin1String(kModelFolderKey), QFileInfo(path).absolutePath());
    model_->loadAsync(path); // validated on a worker; on failure the current model stays
}

QString MainWindow::colorMapName() const
{
    const QAction* checked = colorMaps_->checkedAction();
    return checked ? checked->data().toString() : QStringLiteral("magma");
}

void MainWindow::setColorMap(const QString& name)
{
    const ColorMap map = ColorMap::fromString(name);
    for (QAction* a : colorMaps_->actions())
        a->setChecked(a->data().toString() == map.name());
    analyze_->setColorMap(map);
    record_->setColorMap(map);
    train_->setColorMap(map); // thumbnails and the clip view follow the chosen map
    QSettings().setValue(QLatin1String(kColorMapKey), map.name());
}

QStringList MainWindow::filesFrom(const QMimeData* mime)
{
    QStringList files;
    if (!mime || !mime->hasUrls())
        return files;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile())
            files << url.toLocalFile();
    return files;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!filesFrom(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QStringList files = filesFrom(event->mimeData());
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    openFiles(files);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    RecordTab* record = record_;
    if (record->recorder()->isRecording() || record->recorder()->hasUnsavedTake()) {
        // Asked first; the window closes again once the take is saved or discarded (never on Cancel).
        event->ignore();
        tabs_->setCurrentWidget(record_);
        record->settleTake(tr("The last take has not been saved. Save it before quitting?"),
                           [this] { QTimer::singleShot(0, this, &QWidget::close); });
        return;
    }
    QSettings settings;
    settings.setValue(QLatin1String(kGeometryKey), saveGeometry());
    settings.setValue(QLatin1String(kStateKey), saveState());
    QMainWindow::closeEvent(event);
}

QString MainWindow::aboutText()
{
    return tr("<h3>Emoscope %1</h3>"
              "<p>Recognises emotion in speech: analyze files, record from the microphone, train on your own data.</p>"
              "<p>Copyright © 2026 the Emoscope developers. Licensed under the "
              "<b>GNU General Public License v3.0 or later</b> (SPDX: GPL-3.0-or-later).</p>"
              "<p>Built with Qt %2 (GPL/LGPL; Qt Charts GPL-3.0), libtorch (BSD-3-Clause), FFTW3 (GPL-2.0+), "
              "libsndfile (LGPL-2.1+), libsamplerate (BSD-2-Clause), OpenBLAS (BSD-3-Clause), "
              "nlohmann/json (MIT). Colour maps magma and viridis by Smith, van der Walt and Firing (CC0).</p>"
              "<p>The bundled model was trained on TESS (CC BY-NC-ND 4.0, Dupuis &amp; Pichora-Fuller 2010) and "
              "RAVDESS actors 1–12 (CC BY-NC-SA 4.0, Livingstone &amp; Russo 2018): non-commercial use only.</p>")
        .arg(QStringLiteral(EMOSCOPE_VERSION), QString::fromLatin1(qVersion()));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Emoscope"), aboutText());
}

void MainWindow::showModelCard()
{
    if (!modelCard_)
        modelCard_ = new ModelCardDialog(model_, this);
    modelCard_->show(); // non-modal: the app keeps working while it is open
    modelCard_->raise();
}
