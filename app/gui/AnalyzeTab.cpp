// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/AnalyzeTab.h"

#include "gui/InlineMessage.h"

#include "engine/AnalysisEngine.h"
#include "engine/AudioPlayer.h"
#include "engine/CurrentModel.h"
#include "engine/ResultsCsv.h"
#include "engine/SaliencyJob.h"
#include "gui/ColorMap.h"
#include "gui/EmotionBarsView.h"
#include "gui/SaliencyHeat.h"
#include "gui/SpectrogramView.h"
#include "gui/TimeViewport.h"
#include "gui/TimelineChartView.h"
#include "gui/VerdictText.h"
#include "gui/WaveformView.h"
#include "util/Duration.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QScrollBar>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

AnalyzeTab::AnalyzeTab(CurrentModel* model, QWidget* parent)
    : QWidget(parent), model_(model), engine_(new AnalysisEngine(model, this)), player_(new AudioPlayer(this)),
      message_(new InlineMessage(this)), title_(new QLabel(tr("No file"), this)), playButton_(new QPushButton(tr("Play"), this)),
      waveform_(new WaveformView(this)), spectrogram_(new SpectrogramView(this)), readout_(new QLabel(this)),
      topLabel_(new QLabel(this)), bars_(new EmotionBarsView(this)), noSpeech_(new QLabel(this)),
      barsOrNoSpeech_(new QStackedWidget(this)), timeline_(new TimelineChartView(this)),
      resultsPanel_(new QWidget(this)), table_(new QTableWidget(this)),
      exportButton_(new QPushButton(tr("Export CSV…"), this)), progress_(new QProgressBar(this))
{
    QFont titleFont = title_->font();
    titleFont.setBold(true);
    title_->setFont(titleFont);
    title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = topLabel_->font();
    big.setPointSizeF(big.pointSizeF() * 2.2);
    big.setBold(true);
    topLabel_->setFont(big);
    topLabel_->setAlignment(Qt::AlignCenter);
    topLabel_->setText(QStringLiteral("—"));
    readout_->setMinimumHeight(readout_->fontMetrics().height());
    progress_->hide();

    auto* header = new QHBoxLayout;
    header->addWidget(title_, 1);
    header->addWidget(progress_);
    cancelButton_ = new QPushButton(tr("Cancel"), this);
    cancelButton_->setObjectName(QStringLiteral("cancelAnalysis"));
    cancelButton_->hide();
    header->addWidget(cancelButton_);
    header->addWidget(makeExplainToggle());
    header->addWidget(playButton_);

    // Space toggles playback whenever this tab is shown, wherever the focus is (after Ctrl+O, a drop or the
    // command line it is on no widget of the tab). A window shortcut of a hidden widget is inactive, so other
    // tabs keep their Space.
    auto* playAction = new QAction(tr("Play/Pause"), this);
    playAction->setShortcut(Qt::Key_Space);
    playAction->setShortcutContext(Qt::WindowShortcut);
    addAction(playAction);
    connect(playAction, &QAction::triggered, player_, &AudioPlayer::togglePlay);
    connect(playButton_, &QPushButton::clicked, player_, &AudioPlayer::togglePlay);
    playButton_->setFocusPolicy(Qt::NoFocus); // Space must reach the action, not "click" a focused button

    auto* views = new QWidget(this);
    auto* viewsLayout = new QVBoxLayout(views);
    viewsLayout->setContentsMargins(0, 0, 0, 0);
    viewsLayout->setSpacing(2);
    viewsLayout->addWidget(waveform_, 1);
    viewsLayout->addWidget(spectrogram_, 3);
    // Zoom/selection: the timeline joins this column so all three views share one time axis and line up.
    viewsLayout->addWidget(timeline_, 2);
    viewsLayout->addLayout(setupTimeNavigation());

    auto* emotion = new QWidget(this);
    auto* emotionLayout = new QVBoxLayout(emotion);
    emotionLayout->setContentsMargins(0, 0, 0, 0);
    emotionLayout->addWidget(selectionCaptionRow_); // zoom/selection: says the bars are a selection's
    emotionLayout->addWidget(topLabel_);
    noSpeech_->setAlignment(Qt::AlignCenter);
    noSpeech_->setWordWrap(true);
    barsOrNoSpeech_->addWidget(bars_);
    barsOrNoSpeech_->addWidget(noSpeech_);
    emotionLayout->addWidget(barsOrNoSpeech_, 1);
    auto* lower = new QSplitter(Qt::Horizontal, this);
    lower->addWidget(emotion);
    timeline_->hide();

    auto* resultsLayout = new QVBoxLayout(resultsPanel_);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    auto* resultsHeader = new QHBoxLayout;
    resultsHeader->addWidget(new QLabel(tr("Results (select a row to see it in detail)"), resultsPanel_), 1);
    resultsHeader->addWidget(exportButton_);
    resultsLayout->addLayout(resultsHeader);
    resultsLayout->addWidget(table_);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->setSortingEnabled(false);
    resultsPanel_->hide();

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(views);
    split->addWidget(lower);
    split->addWidget(resultsPanel_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setStretchFactor(2, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(message_);
    layout->addLayout(header);
    layout->addWidget(split, 1);

    connect(engine_, &AnalysisEngine::started, this, [this](quint64, const QString& what) {
        showMessage(tr("Analyzing %1…").arg(QFileInfo(what).fileName().isEmpty() ? what : QFileInfo(what).fileName()),
                    false);
        progress_->setRange(0, 0);
        progress_->show();
    });
    connect(engine_, &AnalysisEngine::analyzed, this, &AnalyzeTab::showResult);
    connect(engine_, &AnalysisEngine::partial, this, &AnalyzeTab::showPartial);
    connect(engine_, &AnalysisEngine::analyzed, cancelButton_, &QWidget::hide);
    connect(cancelButton_, &QPushButton::clicked, this, [this] {
        engine_->cancel(); // the job stops at its next block; what is on screen stays
        cancelButton_->hide();
        progress_->hide();
        showMessage(tr("Analysis cancelled: the views show the part that was read."), false);
    });
    connect(engine_, &AnalysisEngine::batchFinished, this, &AnalyzeTab::showBatch);
    connect(engine_, &AnalysisEngine::batchProgress, this, [this](int done, int total) {
        progress_->setRange(0, total);
        progress_->setValue(done);
    });
    connect(player_, &AudioPlayer::positionChanged, this, &AnalyzeTab::setCursorSeconds);
    connect(player_, &AudioPlayer::playingChanged, this, [this](bool playing) {
        playButton_->setText(playing ? tr("Pause") : tr("Play"));
    });
    connect(player_, &AudioPlayer::error, this, [this](const QString& m) { showMessage(m, true); });
    connect(waveform_, &WaveformView::seekRequested, player_, &AudioPlayer::seek);
    connect(spectrogram_, &SpectrogramView::seekRequested, player_, &AudioPlayer::seek);
    connect(timeline_, &TimelineChartView::seekRequested, player_, &AudioPlayer::seek);
    connect(spectrogram_, &SpectrogramView::readoutChanged, readout_, &QLabel::setText);
    connect(exportButton_, &QPushButton::clicked, this, &AnalyzeTab::onExportClicked);
    connect(table_, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = table_->selectionModel()->selectedRows();
        if (rows.isEmpty() || !batch_)
            return;
        const QString file = table_->item(rows.first().row(), 0)->data(Qt::UserRole).toString();
        if (!result_ || result_->source != file) {
            replacesBatch_ = false; // a row of the batch: the table stays
            engine_->analyzeFile(file);
        }
    });
    // A new model changes every probability: redo what is on screen.
    connect(model_, &CurrentModel::changed, this, [this] {
        if (result_ && result_->ok() && QFileInfo(result_->source).isFile())
            engine_->analyzeFile(result_->source);
    });
    updatePlayButton();
    updateSelectionActions();
}

AnalyzeTab::~AnalyzeTab() = default;

// --- Explain (saliency overlay) ---
// "Explain" overlays where the model looked for its top emotion (Grad-CAM, core/infer/Saliency) on the spectrogram.
// The map is computed by a SaliencyJob only while the button is on, once per result; a new result supersedes it.
QWidget* AnalyzeTab::makeExplainToggle()
{
    explainButton_ = new QPushButton(tr("Explain"), this);
    explainButton_->setObjectName(QStringLiteral("explain"));
    explainButton_->setCheckable(true);
    explainButton_->setFocusPolicy(Qt::NoFocus); // Space stays with Play/Pause
    explainButton_->setToolTip(tr("Show where in the spectrogram the model found its top emotion (Grad-CAM)"));
    saliency_ = new SaliencyJob(this);
    const auto refresh = [this] {
        const bool on = explainButton_->isChecked();
        spectrogram_->setOverlayVisible(on);
        if (!on || !result_ || !result_->ok() || result_->partial || result_ == explained_)
            return;
        if (result_->streamed || result_->probabilities.empty() || !model_->classifier()) {
            showMessage(result_->streamed ? tr("Explain works on recordings up to %1 minutes (this one is not held in memory).")
                                                .arg(int(AnalysisEngine::kStreamSeconds / 60))
                                          : tr("Explain needs a model: open one with File › Open model…"),
                        false);
            return;
        }
        explained_ = result_;
        spectrogram_->clearOverlay();
        saliency_->explainLogMel(model_->classifier(), result_->logMelDb, result_->source, result_->top());
        Q_EMIT statusMessage(tr("Explaining %1…").arg(QFileInfo(result_->source).fileName()));
    };
    connect(explainButton_, &QPushButton::toggled, this, refresh);
    // After showResult (analysisShown), so result_ is the new one; a failed open leaves the screen and its overlay.
    connect(this, &AnalyzeTab::analysisShown, this, [this, refresh](const std::shared_ptr<const AnalysisResult>& r) {
        if (r == result_ && r->ok()) {
            saliency_->cancel();
            explained_.reset();
            spectrogram_->clearOverlay();
        }
        refresh();
    });
    connect(saliency_, &SaliencyJob::finished, this, [this](const std::shared_ptr<const SaliencyResult>& r) {
        if (!explained_ || r->source != explained_->source)
            return;
        spectrogram_->setOverlay(SaliencyHeat::image(r->map), r->map.startSeconds, r->map.hopSeconds);
        spectrogram_->setOverlayVisible(explainButton_->isChecked());
        Q_EMIT statusMessage(tr("Highlighted: where the model found “%1”").arg(r->className()));
    });
    connect(saliency_, &SaliencyJob::failed, this, [this](quint64, const QString&, const QString& message) {
        explained_.reset();
        showMessage(tr("Could not explain: %1").arg(message), true);
    });
    return explainButton_;
}
// --- end explain ---

QString AnalyzeTab::message() const
{
    return message_->text();
}

void AnalyzeTab::openFiles(const QStringList& files)
{
    if (files.isEmpty())
        return;
    player_->stop();
    if (files.size() == 1) {
        // The batch table goes only once the new file has opened: a failed open leaves the screen as it was.
        replacesBatch_ = true;
        pendingDetail_.clear();
        engine_->analyzeFile(files.first());
        return;
    }
    replacesBatch_ = false;
    pendingDetail_ = files.first();
    engine_->classifyBatch(files);
}

void AnalyzeTab::analyzeAudio(const emoscope::AudioBuffer& audio, const QString& name)
{
    player_->stop();
    replacesBatch_ = true;
    pendingDetail_.clear();
    engine_->analyzeAudio(audio, name);
}

void AnalyzeTab::setColorMap(const ColorMap& map)
{
    spectrogram_->setColorMap(map);
}

void AnalyzeTab::showMessage(const QString& text, bool isError)
{
    message_->display(text, isError);
    Q_EMIT statusMessage(text);
}

void AnalyzeTab::clearViews()
{
    waveform_->clear();
    spectrogram_->clear();
    bars_->clear();
    barsOrNoSpeech_->setCurrentWidget(bars_);
    timeline_->clear();
    timeline_->hide();
    topLabel_->setText(QStringLiteral("—"));
    title_->setText(tr("No file"));
    timeViewport_->reset(0);
    viewportSource_.clear();
    dropSelectionResult();
}

void AnalyzeTab::showResult(std::shared_ptr<const AnalysisResult> result)
{
    progress_->hide();
    if (!result->ok()) {
        // What is on screen (analysis, batch table, playback) stays; only the message says what failed.
        if (!result_ || !result_->ok()) {
            result_ = result;
            clearViews();
            player_->setAudio({});
            updatePlayButton();
        }
        showMessage(result_ && result_->ok() && result_ != result
                        ? tr("Could not open %1. Still showing %2.").arg(result->error, QFileInfo(result_->source).fileName())
                        : result->error,
                    true);
        Q_EMIT analysisShown(result);
        return;
    }
    result_ = result;
    if (replacesBatch_) {
        batch_.reset();
        resultsPanel_->hide();
        replacesBatch_ = false;
    }
    const QFileInfo info(result->source);
    showOverview(*result);
    player_->setAudio(result->audio); // empty for a streamed long file: playback off
    updatePlayButton();
    const int top = result->top();
    if (top >= 0) {
        bars_->setProbabilities(result->labels, result->probabilities);
        const QString headline = VerdictText::headline(result->status, result->labels, result->probabilities);
        topLabel_->setText(headline);
        if (result->status == emoscope::VerdictStatus::NoSpeech) {
            // Probabilities of a clip without speech are noise: do not draw them at all.
            noSpeech_->setText(tr("Only %1 s of voice activity in %2 s of audio: too little to name an emotion.")
                                   .arg(result->speechSeconds, 0, 'f', 2)
                                   .arg(result->durationSeconds(), 0, 'f', 2));
            barsOrNoSpeech_->setCurrentWidget(noSpeech_);
        } else {
            barsOrNoSpeech_->setCurrentWidget(bars_);
        }
        showMessage(batch_ ? batchProblem_ : QString(), true);
        Q_EMIT statusMessage(tr("%1: %2").arg(info.fileName(), headline));
    } else {
        bars_->clear();
        barsOrNoSpeech_->setCurrentWidget(bars_);
        topLabel_->setText(QStringLiteral("—"));
        showMessage(result->note, false);
    }
    if (!result->timeline.empty()) {
        timeline_->setTimeline(result->labels, result->timeline, result->durationSeconds());
        timeline_->show();
    } else {
        timeline_->clear();
        timeline_->hide();
    }
    if (result->streamed)
        playButton_->setToolTip(tr("Playback is off for recordings over %1 minutes (they are not held in memory)")
                                    .arg(int(AnalysisEngine::kStreamSeconds / 60)));
    Q_EMIT analysisShown(result);
}

// Title, waveform and spectrogram: the samples of a short clip, the overview of a streamed long one.
void AnalyzeTab::showOverview(const AnalysisResult& r)
{
    const QFileInfo info(r.source);
    const QString name = info.fileName().isEmpty() ? r.source : info.fileName();
    if (r.streamed)
        title_->setText(QStringLiteral("%1   (%2)").arg(name, QString::fromStdString(emoscope::formatDuration(r.durationSeconds()))));
    else
        title_->setText(QStringLiteral("%1   (%2 s, %3 Hz)").arg(name).arg(r.durationSeconds(), 0, 'f', 2).arg(r.audio.sampleRate));
    title_->setToolTip(r.source);
    if (r.streamed) {
        const double total = r.progress > 0 ? r.streamedSeconds / r.progress : r.streamedSeconds;
        waveform_->setPeaks(r.peaks, r.peakSeconds, total);
    } else {
        waveform_->setSamples(r.audio.samples, r.audio.sampleRate);
    }
    spectrogram_->setSpectrogram(r.logMelDb, r.melCentresHz, r.hopSeconds, -80.0, 0.0);
    updateTimeViewport(r);
}

// A long file's analysis so far: the views paint what is ready, the timeline fills in, progress and Cancel show.
void AnalyzeTab::showPartial(std::shared_ptr<const AnalysisResult> result)
{
    if (batch_)
        return; // a batch's detail view shows finished results only
    showOverview(*result);
    if (!result->timeline.empty()) {
        const double total = result->progress > 0 ? result->streamedSeconds / result->progress : result->streamedSeconds;
        timeline_->setTimeline(result->labels, result->timeline, total);
        timeline_->show();
    }
    if (result->progress >= 0) {
        progress_->setRange(0, 1000);
        progress_->setValue(int(result->progress * 1000));
    }
    cancelButton_->show();
}

void AnalyzeTab::showBatch(std::shared_ptr<const BatchResult> result)
{
    progress_->hide();
    batch_ = result;
    QStringList headers{tr("File"), tr("Top emotion"), tr("Confidence")};
    headers += result->labels;
    headers << tr("Status");
    table_->clear();
    table_->setColumnCount(int(headers.size()));
    table_->setHorizontalHeaderLabels(headers);
    table_->setRowCount(int(result->rows.size()));
    int failures = 0;
    QStringList problems;
    for (int r = 0; r < int(result->rows.size()); ++r) {
        const emoscope::FileClassification& row = result->rows[std::size_t(r)];
        const QString file = QString::fromStdString(row.file);
        auto* name = new QTableWidgetItem(QFileInfo(file).fileName());
        name->setData(Qt::UserRole, file);
        name->setToolTip(file);
        table_->setItem(r, 0, name);
        const int top = row.top();
        if (top < 0) {
            ++failures;
            if (problems.size() < 3)
                problems << QString::fromStdString(row.error);
            auto* error = new QTableWidgetItem(QString::fromStdString(row.error));
            error->setForeground(QColor(170, 30, 30));
            error->setToolTip(error->text());
            table_->setItem(r, 1, error);
            continue;
        }
        table_->setItem(r, 1,
                        new QTableWidgetItem(row.status == emoscope::VerdictStatus::NoSpeech ? VerdictText::noSpeech()
                                             : top < result->labels.size()                  ? result->labels[top]
                                                                                            : QString()));
        table_->setItem(r, 2, new QTableWidgetItem(QString::number(row.probabilities[std::size_t(top)], 'f', 3)));
        for (int i = 0; i < int(row.probabilities.size()); ++i)
            table_->setItem(r, 3 + i, new QTableWidgetItem(QString::number(row.probabilities[std::size_t(i)], 'f', 3)));
        table_->setItem(r, 3 + int(row.probabilities.size()), new QTableWidgetItem(QString::fromLatin1(toString(row.status))));
    }
    table_->resizeColumnsToContents();
    resultsPanel_->show();
    const int total = int(result->rows.size());
    const QString summary = failures
        ? tr("Classified %1 of %2 files; could not read: %3").arg(total - failures).arg(total).arg(problems.join(QStringLiteral("; ")))
        : tr("Classified %1 files").arg(total);
    batchProblem_ = failures ? summary : QString();
    showMessage(batchProblem_, true);
    Q_EMIT statusMessage(summary);
    Q_EMIT batchShown(result);
    if (!pendingDetail_.isEmpty()) {
        const QString first = pendingDetail_;
        pendingDetail_.clear();
        engine_->analyzeFile(first);
    }
}

QString AnalyzeTab::exportCsv(const QString& path)
{
    if (!batch_)
        return tr("There are no results to export.");
    return ResultsCsv::write(path, *batch_);
}

void AnalyzeTab::onExportClicked()
{
    QSettings settings;
    QString folder = settings.value(QStringLiteral("folders/export")).toString();
    if (folder.isEmpty()) // never "/results.csv" or the working directory: beside the audio, else home
        folder = settings.value(QStringLiteral("folders/audio"), QDir::homePath()).toString();
    const QString path = QFileDialog::getSaveFileName(this, tr("Export results"), folder + QStringLiteral("/results.csv"),
                                                      tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("folders/export"), QFileInfo(path).absolutePath());
    const QString error = exportCsv(path);
    if (error.isEmpty())
        Q_EMIT statusMessage(tr("Results written to %1").arg(path));
    else
        showMessage(error, true);
}

void AnalyzeTab::updatePlayButton()
{
    const QString reason = player_->unavailableReason();
    playButton_->setEnabled(reason.isEmpty() && result_ && result_->ok());
    playButton_->setToolTip(reason.isEmpty() ? tr("Play or pause (Space)") : reason);
}

void AnalyzeTab::setCursorSeconds(double seconds)
{
    waveform_->setCursorSeconds(seconds);
    spectrogram_->setCursorSeconds(seconds);
    timeline_->setCursorSeconds(seconds);
    // Zoomed in, playback pages the view along so the cursor stays in sight.
    timeViewport_->setCursor(seconds);
    const TimeRange visible = timeViewport_->visible();
    if (player_->isPlaying() && !visible.contains(seconds))
        timeViewport_->setVisible({seconds, seconds + visible.span()});
    updatePositionReadout();
}

// ---------------------------------------------------------------------------------------------------------------
// Zoom, scroll and selection (issue 10, item 1). The views draw TimeViewport's visible range and selection and
// take its mouse gestures themselves; this block owns the keyboard, the context menu, the scroll bar, the read-out
// and what the selection is used for (play, classify).

QLayout* AnalyzeTab::setupTimeNavigation()
{
    timeViewport_ = new TimeViewport(this);
    timeScroll_ = new QScrollBar(Qt::Horizontal, this);
    timeScroll_->setObjectName(QStringLiteral("timeScrollBar"));
    timeScroll_->setToolTip(tr("Scroll in time (wheel); Ctrl+wheel or Ctrl++ / Ctrl+- zoom, Ctrl+0 shows the whole file"));
    positionReadout_ = new QLabel(this);
    positionReadout_->setObjectName(QStringLiteral("positionReadout"));
    positionReadout_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    selectionEngine_ = new AnalysisEngine(model_, this);

    selectionCaptionRow_ = new QWidget(this);
    auto* captionLayout = new QHBoxLayout(selectionCaptionRow_);
    captionLayout->setContentsMargins(0, 0, 0, 0);
    selectionCaption_ = new QLabel(selectionCaptionRow_);
    selectionCaption_->setWordWrap(true);
    auto* wholeFile = new QPushButton(tr("Whole file"), selectionCaptionRow_);
    wholeFile->setObjectName(QStringLiteral("wholeFileResult"));
    wholeFile->setToolTip(tr("Show the whole file's result again"));
    captionLayout->addWidget(selectionCaption_, 1);
    captionLayout->addWidget(wholeFile);
    selectionCaptionRow_->hide();
    connect(wholeFile, &QPushButton::clicked, this, &AnalyzeTab::showWholeFileResult);

    for (QWidget* view : {static_cast<QWidget*>(waveform_), static_cast<QWidget*>(spectrogram_), static_cast<QWidget*>(timeline_)}) {
        view->setFocusPolicy(Qt::StrongFocus); // arrows and Escape reach the views' actions once one is clicked
        view->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(view, &QWidget::customContextMenuRequested, this, [this, view](const QPoint& pos) { showTimeMenu(view, pos); });
    }
    waveform_->setTimeViewport(timeViewport_);
    spectrogram_->setTimeViewport(timeViewport_);
    timeline_->setTimeViewport(timeViewport_);

    // Zoom works wherever the focus is in this tab (as Space does); scrolling and Escape only in the views, so the
    // results table keeps its arrow keys.
    const auto windowAction = [this](const QString& text, const QList<QKeySequence>& keys, auto slot) {
        auto* a = new QAction(text, this);
        a->setShortcuts(keys);
        a->setShortcutContext(Qt::WindowShortcut);
        addAction(a);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    const auto viewAction = [this](const QString& text, const QKeySequence& key, auto slot) {
        auto* a = new QAction(text, this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        for (QWidget* view : {static_cast<QWidget*>(waveform_), static_cast<QWidget*>(spectrogram_), static_cast<QWidget*>(timeline_)})
            view->addAction(a);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    windowAction(tr("Zoom in"), {QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)}, [this] { timeViewport_->zoomIn(); });
    windowAction(tr("Zoom out"), {QKeySequence::ZoomOut}, [this] { timeViewport_->zoomOut(); });
    fitAction_ = windowAction(tr("Fit to window"), {QKeySequence(Qt::CTRL | Qt::Key_0)}, [this] { timeViewport_->fit(); });
    viewAction(tr("Scroll left"), QKeySequence(Qt::Key_Left), [this] { timeViewport_->scrollPages(-0.1); });
    viewAction(tr("Scroll right"), QKeySequence(Qt::Key_Right), [this] { timeViewport_->scrollPages(0.1); });
    viewAction(tr("Page left"), QKeySequence(Qt::Key_PageUp), [this] { timeViewport_->scrollPages(-0.9); });
    viewAction(tr("Page right"), QKeySequence(Qt::Key_PageDown), [this] { timeViewport_->scrollPages(0.9); });
    viewAction(tr("Go to start"), QKeySequence(Qt::Key_Home), [this] { timeViewport_->scrollToStart(); });
    viewAction(tr("Go to end"), QKeySequence(Qt::Key_End), [this] { timeViewport_->scrollToEnd(); });
    clearSelectionAction_ = viewAction(tr("Clear selection"), QKeySequence(Qt::Key_Escape), [this] { timeViewport_->clearSelection(); });
    playSelectionAction_ = new QAction(tr("Play selection"), this);
    connect(playSelectionAction_, &QAction::triggered, this, &AnalyzeTab::playSelection);
    classifySelectionAction_ = new QAction(tr("Classify selection"), this);
    connect(classifySelectionAction_, &QAction::triggered, this, &AnalyzeTab::classifySelection);
    zoomToSelectionAction_ = new QAction(tr("Zoom to selection"), this);
    connect(zoomToSelectionAction_, &QAction::triggered, timeViewport_, &TimeViewport::zoomToSelection);

    connect(timeViewport_, &TimeViewport::visibleChanged, this, [this] {
        syncScrollBar();
        updatePositionReadout();
    });
    connect(timeViewport_, &TimeViewport::selectionChanged, this, [this] {
        updatePositionReadout();
        updateSelectionActions();
    });
    connect(timeScroll_, &QScrollBar::valueChanged, this, [this](int ms) {
        if (syncingScroll_)
            return;
        const double span = timeViewport_->visible().span();
        timeViewport_->setVisible({ms / 1000.0, ms / 1000.0 + span});
    });
    connect(selectionEngine_, &AnalysisEngine::started, this,
            [this] { showMessage(tr("Classifying the selection…"), false); });
    connect(selectionEngine_, &AnalysisEngine::analyzed, this, &AnalyzeTab::showSelectionResult);

    auto* rows = new QVBoxLayout;
    rows->setSpacing(2);
    rows->addWidget(timeScroll_);
    auto* readouts = new QHBoxLayout;
    readouts->addWidget(positionReadout_, 1);
    readouts->addWidget(readout_);
    rows->addLayout(readouts);
    syncScrollBar();
    updatePositionReadout();
    return rows;
}

// A new file resets the zoom and selection; a long file's growing overview, or a new model's analysis of the same
// file, keeps them.
void AnalyzeTab::updateTimeViewport(const AnalysisResult& r)
{
    const double total = r.streamed && r.partial && r.progress > 0 ? r.streamedSeconds / r.progress : r.durationSeconds();
    const bool sameFile = r.source == viewportSource_ && (r.jobId == viewportJob_ || std::abs(total - timeViewport_->duration()) < 1e-6);
    if (r.jobId != viewportJob_)
        dropSelectionResult(); // the bars are about to show this analysis
    viewportJob_ = r.jobId;
    if (sameFile) {
        timeViewport_->setDuration(total);
        return;
    }
    viewportSource_ = r.source;
    selectionEngine_->cancel();
    dropSelectionResult();
    timeViewport_->reset(total);
}

void AnalyzeTab::syncScrollBar()
{
    // Milliseconds: an int holds 24 days, far beyond any file the app opens.
    const TimeRange visible = timeViewport_->visible();
    const int spanMs = int(std::lround(visible.span() * 1000));
    syncingScroll_ = true;
    timeScroll_->setRange(0, std::max(0, int(std::lround(timeViewport_->duration() * 1000)) - spanMs));
    timeScroll_->setPageStep(std::max(1, spanMs));
    timeScroll_->setSingleStep(std::max(1, spanMs / 10));
    timeScroll_->setValue(int(std::lround(visible.start * 1000)));
    timeScroll_->setEnabled(!timeViewport_->isFit());
    syncingScroll_ = false;
}

void AnalyzeTab::updatePositionReadout()
{
    if (timeViewport_->duration() <= 0) {
        positionReadout_->clear();
        return;
    }
    QString text = tr("%1 s").arg(timeViewport_->cursor(), 0, 'f', 2);
    if (const auto s = timeViewport_->selection())
        text += tr(" · selection %1–%2 s (%3 s)").arg(s->start, 0, 'f', 2).arg(s->end, 0, 'f', 2).arg(s->span(), 0, 'f', 2);
    if (!timeViewport_->isFit()) {
        const TimeRange v = timeViewport_->visible();
        text += tr(" · view %1–%2 s").arg(v.start, 0, 'f', 2).arg(v.end, 0, 'f', 2);
    }
    positionReadout_->setText(text);
}

void AnalyzeTab::updateSelectionActions()
{
    const bool selected = timeViewport_->selection().has_value();
    const bool inMemory = result_ && result_->ok() && !result_->streamed && !result_->audio.samples.empty();
    playSelectionAction_->setEnabled(selected && inMemory && player_->isAvailable());
    classifySelectionAction_->setEnabled(selected && inMemory && !result_->labels.isEmpty());
    zoomToSelectionAction_->setEnabled(selected);
    clearSelectionAction_->setEnabled(selected);
}

void AnalyzeTab::showTimeMenu(QWidget* view, const QPoint& pos)
{
    if (timeViewport_->duration() <= 0)
        return;
    updateSelectionActions();
    QMenu menu(this);
    menu.addAction(playSelectionAction_);
    menu.addAction(classifySelectionAction_);
    menu.addSeparator();
    menu.addAction(zoomToSelectionAction_);
    menu.addAction(clearSelectionAction_);
    menu.addAction(fitAction_);
    menu.exec(view->mapToGlobal(pos));
}

void AnalyzeTab::playSelection()
{
    const auto s = timeViewport_->selection();
    if (!s)
        return;
    if (!result_ || result_->audio.samples.empty()) {
        showMessage(tr("Playback is off for this recording."), true);
        return;
    }
    player_->playRange(s->start, s->end);
}

void AnalyzeTab::classifySelection()
{
    const auto s = timeViewport_->selection();
    if (!s || !result_ || !result_->ok())
        return;
    if (result_->streamed || result_->audio.samples.empty()) {
        showMessage(tr("Classify selection needs the samples in memory: recordings over %1 minutes are streamed.")
                        .arg(int(AnalysisEngine::kStreamSeconds / 60)),
                    true);
        return;
    }
    const emoscope::AudioBuffer& audio = result_->audio;
    const std::size_t a = std::min(audio.samples.size(), std::size_t(std::lround(s->start * audio.sampleRate)));
    const std::size_t b = std::min(audio.samples.size(), std::size_t(std::lround(s->end * audio.sampleRate)));
    emoscope::AudioBuffer part;
    part.sampleRate = audio.sampleRate;
    part.samples.assign(audio.samples.begin() + std::ptrdiff_t(a), audio.samples.begin() + std::ptrdiff_t(b));
    selectionRange_ = *s;
    const QFileInfo info(result_->source);
    const QString name = info.fileName().isEmpty() ? result_->source : info.fileName();
    selectionEngine_->analyzeAudio(part, tr("%1 [%2–%3 s]").arg(name).arg(s->start, 0, 'f', 2).arg(s->end, 0, 'f', 2));
}

void AnalyzeTab::showSelectionResult(std::shared_ptr<const AnalysisResult> r)
{
    if (!r->ok()) {
        showMessage(r->error, true);
        Q_EMIT selectionAnalysisShown(r);
        return;
    }
    if (r->top() < 0) {
        showMessage(r->note, false);
        Q_EMIT selectionAnalysisShown(r);
        return;
    }
    if (!selectionResult_) { // keep what the whole file's bars said, to go back to
        wholeFileHeadline_ = topLabel_->text();
        wholeFileNoSpeech_ = noSpeech_->text();
        wholeFilePage_ = barsOrNoSpeech_->currentIndex();
    }
    selectionResult_ = r;
    bars_->setProbabilities(r->labels, r->probabilities);
    topLabel_->setText(VerdictText::headline(r->status, r->labels, r->probabilities));
    if (r->status == emoscope::VerdictStatus::NoSpeech) {
        noSpeech_->setText(tr("Only %1 s of voice activity in the %2 s selected: too little to name an emotion.")
                               .arg(r->speechSeconds, 0, 'f', 2)
                               .arg(r->durationSeconds(), 0, 'f', 2));
        barsOrNoSpeech_->setCurrentWidget(noSpeech_);
    } else {
        barsOrNoSpeech_->setCurrentWidget(bars_);
    }
    selectionCaption_->setText(tr("Selection %1–%2 s (%3 s):")
                                   .arg(selectionRange_.start, 0, 'f', 2)
                                   .arg(selectionRange_.end, 0, 'f', 2)
                                   .arg(selectionRange_.span(), 0, 'f', 2));
    selectionCaptionRow_->show();
    showMessage(QString(), false);
    Q_EMIT selectionAnalysisShown(r);
}

void AnalyzeTab::showWholeFileResult()
{
    if (!selectionResult_)
        return;
    dropSelectionResult();
    if (!result_ || !result_->ok() || result_->top() < 0)
        return;
    bars_->setProbabilities(result_->labels, result_->probabilities);
    topLabel_->setText(wholeFileHeadline_);
    noSpeech_->setText(wholeFileNoSpeech_);
    barsOrNoSpeech_->setCurrentIndex(wholeFilePage_);
}

void AnalyzeTab::dropSelectionResult()
{
    selectionResult_.reset();
    selectionCaptionRow_->hide();
}
