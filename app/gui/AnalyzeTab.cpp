// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/AnalyzeTab.h"

#include "gui/InlineMessage.h"

#include "engine/AnalysisEngine.h"
#include "engine/Async.h"
#include "engine/AudioPlayer.h"
#include "engine/CurrentModel.h"
#include "engine/ResultExport.h"
#include "engine/ResultsCsv.h"
#include "engine/SaliencyJob.h"
#include "gui/ColorLegend.h"
#include "gui/ColorMap.h"
#include "gui/EmotionBarsView.h"
#include "gui/EmotionColors.h"
#include "gui/NumericTableItem.h"
#include "gui/SaliencyHeat.h"
#include "gui/SpectrogramView.h"
#include "gui/TimeViewport.h"
#include "gui/TimelineChartView.h"
#include "gui/VerdictText.h"
#include "gui/WaveformView.h"
#include "util/Duration.h"

#include <QAction>
#include <QBuffer>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QScrollBar>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <utility>
#include <cmath>
#include <stdexcept>
#include <algorithm>

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
    progress_->setObjectName(QStringLiteral("analysisProgress"));
    // Wide enough for its text beside the chunk ("38%", "120 / 700 files"): at its size hint the text sat half
    // under the chunk at 1000x700.
    progress_->setMinimumWidth(progress_->fontMetrics().horizontalAdvance(tr("%1 / %2 files").arg(9999).arg(9999))
                               + 3 * progress_->fontMetrics().height());

    auto* header = new QHBoxLayout;
    header->addWidget(title_, 1);
    header->addWidget(progress_);
    cancelButton_ = new QPushButton(tr("Cancel"), this);
    cancelButton_->setObjectName(QStringLiteral("cancelAnalysis"));
    cancelButton_->hide();
    header->addWidget(cancelButton_);
    header->addWidget(makeExplainToggle());
    header->addWidget(playButton_);
    buildExportMenu();
    header->addWidget(exportMenu_);
    // Which model the probabilities come from, kept current with CurrentModel.
    modelName_ = new QLabel(this);
    modelName_->setObjectName(QStringLiteral("modelName"));
    header->insertWidget(1, modelName_);
    auto showModelName = [this] {
        const QString path = model_ && model_->isLoaded() ? model_->path() : QString();
        modelName_->setText(!model_ || !model_->isLoaded() ? tr("No model")
                            : path.isEmpty()               ? tr("Model: trained in this session (not saved)")
                                                           : tr("Model: %1").arg(QFileInfo(path).fileName()));
        modelName_->setToolTip(path);
    };
    showModelName();
    connect(model_, &CurrentModel::changed, this, showModelName);

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
    // The dB legend sits in a column of its own beside the spectrogram only: a grid keeps the three views'
    // time axes the same width, so they stay aligned.
    legend_ = new ColorLegend(this);
    legend_->setObjectName(QStringLiteral("colorLegend"));
    auto* viewGrid = new QGridLayout;
    viewGrid_ = viewGrid;
    viewGrid->setContentsMargins(0, 0, 0, 0);
    viewGrid->setSpacing(2);
    viewGrid->addWidget(waveform_, 0, 0);
    viewGrid->addWidget(spectrogram_, 1, 0);
    viewGrid->addWidget(legend_, 1, 1);
    // Zoom/selection: the timeline joins this column so all three views share one time axis and line up.
    viewGrid->addWidget(timeline_, 2, 0);
    viewGrid->setRowStretch(0, 1);
    viewGrid->setRowStretch(1, 3);
    viewGrid->setRowStretch(2, 2);
    viewGrid->setColumnStretch(0, 1);
    viewsLayout->addLayout(viewGrid, 1);
    viewsLayout->addLayout(setupTimeNavigation());

    auto* emotion = new QWidget(this);
    auto* emotionLayout = new QVBoxLayout(emotion);
    emotionLayout->setContentsMargins(0, 0, 0, 0);
    emotionLayout->addWidget(selectionCaptionRow_); // zoom/selection: says the bars are a selection's
    emotionLayout->addWidget(topLabel_);
    segments_ = new QLabel(this); // a Mixed headline's "angry 0–10 s, sad 10–20 s, …"
    segments_->setObjectName(QStringLiteral("headlineSegments"));
    segments_->setAlignment(Qt::AlignCenter);
    segments_->setWordWrap(true);
    segments_->hide();
    emotionLayout->addWidget(segments_);
    noSpeech_->setAlignment(Qt::AlignCenter);
    noSpeech_->setWordWrap(true);
    barsOrNoSpeech_->addWidget(bars_);
    barsOrNoSpeech_->addWidget(noSpeech_);
    emotionLayout->addWidget(barsOrNoSpeech_, 1);
    auto* lower = new QSplitter(Qt::Horizontal, this);
    lower->addWidget(emotion);
    showTimeline(false);

    auto* resultsLayout = new QVBoxLayout(resultsPanel_);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    auto* resultsHeader = new QHBoxLayout;
    resultsHeader->addWidget(new QLabel(tr("Results (select a row to see it in detail)"), resultsPanel_), 1);
    resultsHeader->addWidget(exportButton_);
    resultsLayout->addLayout(resultsHeader);
    batchSummary_ = new QLabel(resultsPanel_);
    batchSummary_->setObjectName(QStringLiteral("batchSummary"));
    batchSummary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    resultsLayout->addWidget(batchSummary_);
    resultsLayout->addWidget(table_);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    // Sorted by a click on a header (numbers as numbers: NumericTableItem); columns resized by dragging; at least
    // five rows in view (showBatch gives the table a larger share of the height when it appears).
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table_->horizontalHeader()->setSortIndicatorShown(true);
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->setMinimumHeight(table_->horizontalHeader()->sizeHint().height() + 5 * (table_->fontMetrics().height() + 6) + 4);
    resultsPanel_->hide();

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(views);
    split->addWidget(lower);
    split->addWidget(resultsPanel_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setStretchFactor(2, 2);

    // On a screen smaller than the tab's minimum (1600x1000 at scale 2 is 800x500 logical) the tab scrolls; the
    // window never grows past the screen and nothing is cut off.
    auto* content = new QWidget(this);
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->addWidget(message_);
    contentLayout->addLayout(header);
    contentLayout->addWidget(split, 1);
    auto* page = new QScrollArea(this);
    page->setWidget(content);
    page->setWidgetResizable(true);
    page->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(page);

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
        if (engine_->isBatchRunning())
            return cancelBatch(); // the table keeps the files finished so far
        engine_->cancel(); // the job stops at its next block; what is on screen stays
        cancelButton_->hide();
        progress_->hide();
        showMessage(tr("Analysis cancelled: the views show the part that was read."), false);
    });
    connect(engine_, &AnalysisEngine::batchFinished, this, &AnalyzeTab::showBatch);
    connect(engine_, &AnalysisEngine::batchProgress, this, [this](int done, int total) {
        progress_->setRange(0, total);
        progress_->setValue(done);
        progress_->setFormat(tr("%v / %m files"));
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
// "Explain" overlays where the model looked for its top emotion (Grad-CAM, core/net/Saliency) on the spectrogram.
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
        if (result_->status == emoscope::VerdictStatus::NoSpeech) { // no verdict was given, so none is explained
            showMessage(tr("No speech detected: there is no emotion to explain."), false);
            return;
        }
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
    cancelButton_->setEnabled(true);
    cancelButton_->show();
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
    legend_->setColorMap(map);
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
    showTimeline(false);
    topLabel_->setText(QStringLiteral("—"));
    segments_->clear();
    segments_->hide();
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
    // Streamed playback (issue 9): a long file is not in memory, so the player decodes it as it plays.
    if (result->streamed)
        player_->setStream(result->source, timeViewport_->duration(), result->nativeSampleRate);
    else
        player_->setAudio(result->audio);
    updatePlayButton();
    const int top = result->top();
    if (top >= 0) {
        bars_->setProbabilities(result->labels, result->probabilities);
        const QString headline = showHeadline(*result);
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
        segments_->hide();
        showMessage(result->note, false);
    }
    // A timeline whose every window is without speech would be an empty chart: "No speech detected" says it all.
    const bool timelineHasSpeech = std::any_of(result->timeline.begin(), result->timeline.end(),
        [](const emoscope::TimelineWindow& w) { return w.status != emoscope::VerdictStatus::NoSpeech; });
    if (timelineHasSpeech) {
        timeline_->setTimeline(result->labels, result->timeline, result->durationSeconds());
        showTimeline(true);
    } else {
        timeline_->clear();
        showTimeline(false);
    }
    Q_EMIT analysisShown(result);
}

// The timeline's grid row takes its share of the height only while it is shown: a hidden timeline (a short clip)
// must not leave an empty band under the spectrogram.
void AnalyzeTab::showTimeline(bool shown)
{
    timeline_->setVisible(shown);
    viewGrid_->setRowStretch(2, shown ? 2 : 0);
}

// Title, waveform and spectrogram: the samples of a short clip, the overview of a streamed long one.
void AnalyzeTab::showOverview(const AnalysisResult& r)
{
    const QFileInfo info(r.source);
    const QString name = info.fileName().isEmpty() ? r.source : info.fileName();
    if (r.streamed)
        title_->setText(QStringLiteral("%1   (%2)").arg(name, QString::fromStdString(emoscope::formatDuration(r.durationSeconds()))));
    else
        title_->setText(QStringLiteral("%1   (%2 s, %3 Hz)").arg(name).arg(r.durationSeconds(), 0, 'f', 2)
                            .arg(r.nativeSampleRate > 0 ? r.nativeSampleRate : r.audio.sampleRate)); // the file's own rate
    title_->setToolTip(r.source);
    if (r.streamed) {
        const double total = r.progress > 0 ? r.streamedSeconds / r.progress : r.streamedSeconds;
        waveform_->setPeaks(r.peaks, r.peakSeconds, total);
    } else {
        waveform_->setSamples(r.audio.samples, r.audio.sampleRate);
    }
    spectrogram_->setSpectrogram(r.logMelDb, r.melCentresHz, r.hopSeconds, -80.0, 0.0);
    updateTimeViewport(r);
    legend_->setRange(-80.0, 0.0);
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
        showTimeline(true);
    }
    if (result->progress >= 0) {
        progress_->setRange(0, 1000);
        progress_->setValue(int(result->progress * 1000));
        progress_->setFormat(QStringLiteral("%p%"));
    }
    cancelButton_->show();
}

void AnalyzeTab::showBatch(std::shared_ptr<const BatchResult> result)
{
    progress_->hide();
    batch_ = result;
    cancelButton_->hide();
    cancelButton_->setEnabled(true);
    fillBatchTable(*result);
    int failures = 0;
    QStringList problems;
    for (const emoscope::FileClassification& row : result->rows)
        if (row.top() < 0 && ++failures <= 3)
            problems << QString::fromStdString(row.error);
    const bool tableAppears = resultsPanel_->isHidden();
    resultsPanel_->show();
    if (tableAppears)
        giveTableItsShare();
    const int total = int(result->rows.size());
    QString summary = failures
        ? tr("Classified %1 of %2 files; could not read: %3").arg(total - failures).arg(total).arg(problems.join(QStringLiteral("; ")))
        : tr("Classified %1 files").arg(total);
    if (result->cancelled)
        summary = tr("Cancelled after %1 of %2 files. ").arg(total).arg(result->filesRequested) + summary;
    batchProblem_ = failures ? summary : QString();
    showMessage(batchProblem_, true);
    Q_EMIT statusMessage(summary);
    Q_EMIT batchShown(result);
    if (result->cancelled)
        pendingDetail_.clear(); // the user stopped the work: start no more of it
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
    // Keys as well as the context menu (Audacity users reach for them): Shift+Space plays, Ctrl+Return classifies.
    for (auto [action, key] : {std::pair{playSelectionAction_, QKeySequence(Qt::SHIFT | Qt::Key_Space)},
                               std::pair{classifySelectionAction_, QKeySequence(Qt::CTRL | Qt::Key_Return)}}) {
        action->setShortcut(key);
        action->setShortcutContext(Qt::WindowShortcut); // inactive while another tab is shown
        addAction(action);
    }
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
    playSelectionAction_->setEnabled(selected && result_ && result_->ok() && player_->hasMedia() && player_->isAvailable());
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
    if (!result_ || !player_->hasMedia()) {
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
    shownSelectionRange_ = selectionRange_; // what the caption names and an export of the bars records
    bars_->setProbabilities(r->labels, r->probabilities);
    topLabel_->setText(VerdictText::headline(r->status, r->labels, r->probabilities));
    segments_->hide(); // the whole file's segments (issue 10 headline) do not describe a selection
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
    segments_->setVisible(!segments_->text().isEmpty());
    noSpeech_->setText(wholeFileNoSpeech_);
    barsOrNoSpeech_->setCurrentIndex(wholeFilePage_);
}

void AnalyzeTab::dropSelectionResult()
{
    selectionResult_.reset();
    selectionCaptionRow_->hide();
}

// ---- issue 10: true headline, export, batch table ----

QString AnalyzeTab::showHeadline(const AnalysisResult& r)
{
    using Kind = emoscope::Headline::Kind;
    std::vector<std::string> labels; // spelled out for people ("pleasant surprise")
    for (const QString& l : r.labels)
        labels.push_back(EmotionColors::displayName(l).toStdString());
    const emoscope::Headline& h = r.headline;
    // A long recording can have hundreds of segments: the line under the headline names the first few (the timeline
    // shows them all), so it never pushes the bars off the tab.
    constexpr std::size_t kShownSegments = 8, kTooltipSegments = 40;
    const auto firstSegments = [&](std::size_t n) {
        const std::vector<emoscope::HeadlineSegment> first(h.segments.begin(),
                                                           h.segments.begin() + std::ptrdiff_t(std::min(n, h.segments.size())));
        QString text = QString::fromStdString(emoscope::describeSegments(first, labels));
        if (h.segments.size() > n)
            text += tr(", … (%1 segments in all)").arg(h.segments.size());
        return text;
    };
    const QString segments = firstSegments(kShownSegments);
    QString text;
    if (h.kind == Kind::Mixed) {
        text = tr("Mixed");
        segments_->setText(segments);
    } else if (h.kind == Kind::Single && h.label != r.top()) { // the speech agrees on a label the mean does not
        text = tr("%1  (%2% of speech)").arg(EmotionColors::displayName(r.labels.value(h.label))).arg(qRound(h.share * 100));
        segments_->setText(segments);
    } else {
        text = VerdictText::headline(r.status, r.labels, r.probabilities);
        segments_->clear();
    }
    topLabel_->setText(text);
    topLabel_->setToolTip(h.kind == Kind::Mixed || h.kind == Kind::Single
                              ? tr("From the timeline over speech only: one emotion when it holds at least %1% of the "
                                   "speech, otherwise Mixed with its segments. The bars are the mean over the file.")
                                    .arg(qRound(emoscope::Headline::kAgreeShare * 100))
                              : QString());
    segments_->setToolTip(segments_->text().isEmpty() ? QString() : firstSegments(kTooltipSegments));
    segments_->setVisible(!segments_->text().isEmpty());
    return h.kind == Kind::Mixed ? tr("Mixed: %1").arg(segments) : text;
}

void AnalyzeTab::buildExportMenu()
{
    exportMenu_ = new QToolButton(this);
    exportMenu_->setObjectName(QStringLiteral("exportMenu"));
    exportMenu_->setText(tr("Export"));
    exportMenu_->setToolTip(tr("Save the probabilities or the timeline (as emoscope-cli writes them) or the spectrogram"));
    exportMenu_->setPopupMode(QToolButton::InstantPopup);
    exportMenu_->setFocusPolicy(Qt::NoFocus);
    auto* menu = new QMenu(exportMenu_);
    const auto add = [this, menu](const QString& text, ExportKind kind) {
        QAction* a = menu->addAction(text, this, [this, kind] { onExportResultRequested(kind); });
        a->setData(int(kind));
    };
    add(tr("Probabilities as CSV…"), ExportKind::ProbabilitiesCsv);
    add(tr("Probabilities as JSON…"), ExportKind::ProbabilitiesJson);
    add(tr("Timeline as CSV…"), ExportKind::TimelineCsv);
    add(tr("Timeline as JSON…"), ExportKind::TimelineJson);
    add(tr("Spectrogram as PNG…"), ExportKind::SpectrogramPng);
    connect(menu, &QMenu::aboutToShow, this, [this, menu] {
        for (QAction* a : menu->actions()) { // the probabilities are the bars': the selection's while they show it
            const auto kind = ExportKind(a->data().toInt());
            if (kind == ExportKind::ProbabilitiesCsv || kind == ExportKind::ProbabilitiesJson)
                a->setText((selectionResult_ ? tr("Selection's probabilities as %1…") : tr("Probabilities as %1…"))
                               .arg(kind == ExportKind::ProbabilitiesCsv ? QStringLiteral("CSV") : QStringLiteral("JSON")));
        }
        const bool shown = result_ && result_->ok();
        const bool probabilities = shown && !result_->probabilities.empty();
        for (QAction* a : menu->actions()) {
            const auto kind = ExportKind(a->data().toInt());
            const bool timeline = kind == ExportKind::TimelineCsv || kind == ExportKind::TimelineJson;
            a->setEnabled(kind == ExportKind::SpectrogramPng ? shown
                          : timeline                          ? probabilities && !result_->timeline.empty()
                                                              : probabilities);
        }
    });
    exportMenu_->setMenu(menu);
}

void AnalyzeTab::onExportResultRequested(ExportKind kind)
{
    if (!result_ || !result_->ok())
        return;
    static const char* const suffixes[] = {"-probabilities.csv", "-probabilities.json", "-timeline.csv",
                                           "-timeline.json", "-spectrogram.png"};
    static const char* const filters[] = {"CSV (*.csv)", "JSON (*.json)", "CSV (*.csv)", "JSON (*.json)", "PNG (*.png)"};
    QSettings settings;
    QString folder = settings.value(QStringLiteral("folders/export")).toString();
    if (folder.isEmpty())
        folder = settings.value(QStringLiteral("folders/audio"), QDir::homePath()).toString();
    const QString base = QFileInfo(result_->source).completeBaseName().isEmpty() ? QStringLiteral("recording")
                                                                               : QFileInfo(result_->source).completeBaseName();
    const bool selection = selectionResult_ && (kind == ExportKind::ProbabilitiesCsv || kind == ExportKind::ProbabilitiesJson);
    const QString range = selection ? QStringLiteral("-%1-%2s").arg(shownSelectionRange_.start, 0, 'f', 2)
                                          .arg(shownSelectionRange_.end, 0, 'f', 2)
                                    : QString();
    const QString path = QFileDialog::getSaveFileName(this, tr("Export"),
                                                      folder + QLatin1Char('/') + base + range
                                                          + QLatin1String(suffixes[int(kind)]),
                                                      tr(filters[int(kind)]));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("folders/export"), QFileInfo(path).absolutePath());
    exportResult(kind, path);
}

void AnalyzeTab::exportResult(ExportKind kind, const QString& path)
{
    const auto finish = [this, path](const engine::Outcome<QString>& o) {
        // o.value: the write's own "<path>: <reason>"; o.error: nothing to export (thrown before writing).
        const QString error = !o.ok() ? tr("Cannot export %1: %2").arg(path, o.error) : o.value;
        if (error.isEmpty())
            Q_EMIT statusMessage(tr("Exported %1").arg(path));
        else
            showMessage(error, true);
        Q_EMIT exportFinished(path, error);
    };
    if (!result_ || !result_->ok()) {
        finish({QString(), tr("there is no analysis on screen")});
        return;
    }
    if (kind == ExportKind::SpectrogramPng) {
        // Grabbed here (widgets live on this thread); encoded and written on a worker.
        const QImage image = spectrogram_->grab().toImage();
        engine::runJob(this, [image, path] {
            QByteArray png;
            QBuffer buffer(&png);
            buffer.open(QIODevice::WriteOnly);
            if (!image.save(&buffer, "PNG"))
                throw std::runtime_error("the image could not be encoded as PNG");
            return ResultExport::write(path, png);
        }, finish);
        return;
    }
    const auto what = kind == ExportKind::ProbabilitiesCsv    ? ResultExport::Kind::ProbabilitiesCsv
                      : kind == ExportKind::ProbabilitiesJson ? ResultExport::Kind::ProbabilitiesJson
                      : kind == ExportKind::TimelineCsv       ? ResultExport::Kind::TimelineCsv
                                                              : ResultExport::Kind::TimelineJson;
    // Probabilities follow the bars: while they show a selection's result, that result, marked with its range.
    const bool probabilities = what == ResultExport::Kind::ProbabilitiesCsv || what == ResultExport::Kind::ProbabilitiesJson;
    std::shared_ptr<const AnalysisResult> shown = result_;
    std::optional<ResultExport::Selection> selection;
    if (probabilities && selectionResult_) {
        shown = selectionResult_;
        selection = ResultExport::Selection{result_->source, shownSelectionRange_.start, shownSelectionRange_.end};
    }
    engine::runJob(this, [result = shown, what, selection, path] {
        return ResultExport::write(path, ResultExport::text(*result, what, selection));
    }, finish);
}

int AnalyzeTab::batchColumn(const QString& header) const
{
    for (int c = 0; c < table_->columnCount(); ++c)
        if (table_->horizontalHeaderItem(c) && table_->horizontalHeaderItem(c)->text() == header)
            return c;
    return -1;
}

void AnalyzeTab::fillBatchTable(const BatchResult& result)
{
    const bool labelled = result.hasTrueLabels();
    QStringList headers{tr("File"), tr("Top emotion")};
    if (labelled)
        headers << tr("True label") << tr("Correct");
    headers << tr("Confidence");
    const int firstProbability = int(headers.size());
    headers += EmotionColors::displayNames(result.labels); // "pleasant surprise", not "ps"
    headers << tr("Status");
    table_->setSortingEnabled(false); // rows stay where they are put while filling
    table_->clear();
    table_->setColumnCount(int(headers.size()));
    table_->setHorizontalHeaderLabels(headers);
    table_->setRowCount(int(result.rows.size()));
    for (int r = 0; r < int(result.rows.size()); ++r) {
        const emoscope::FileClassification& row = result.rows[std::size_t(r)];
        const QString file = QString::fromStdString(row.file);
        auto* name = new QTableWidgetItem(QFileInfo(file).fileName());
        name->setData(Qt::UserRole, file);
        name->setToolTip(file);
        table_->setItem(r, 0, name);
        const int top = row.top();
        const QString truth = QString::fromStdString(result.trueLabel(std::size_t(r)));
        if (labelled)
            table_->setItem(r, 2, new QTableWidgetItem(EmotionColors::displayName(truth)));
        if (top < 0) {
            auto* error = new QTableWidgetItem(QString::fromStdString(row.error));
            error->setForeground(QColor(170, 30, 30));
            error->setToolTip(error->text());
            table_->setItem(r, 1, error);
            continue;
        }
        // A file without speech names no emotion (as the CLI): no mark, no confidence; it is not scored.
        const int named = result.namedIndex(std::size_t(r));
        table_->setItem(r, 1, new QTableWidgetItem(named < 0 ? VerdictText::noSpeech()
                                                             : EmotionColors::displayName(result.namedLabel(std::size_t(r)))));
        const auto namedIsTrue = result.namedIsTrue(std::size_t(r));
        if (labelled && !truth.isEmpty() && named < 0) {
            auto* none = new QTableWidgetItem(QStringLiteral("–"));
            none->setTextAlignment(Qt::AlignCenter);
            none->setToolTip(tr("No speech detected: no emotion is named, so this file is not scored"));
            table_->setItem(r, 3, none);
        } else if (labelled && namedIsTrue) {
            const bool correct = *namedIsTrue;
            auto* mark = new QTableWidgetItem(correct ? QStringLiteral("✓") : QStringLiteral("✗"));
            mark->setForeground(correct ? QColor(20, 130, 40) : QColor(180, 30, 30));
            mark->setTextAlignment(Qt::AlignCenter);
            mark->setToolTip(correct ? tr("The top emotion is the true label") : tr("The top emotion is not the true label"));
            table_->setItem(r, 3, mark);
        }
        const auto number = [](float v) { return new NumericTableItem(QString::number(v, 'f', 3), double(v)); };
        table_->setItem(r, firstProbability - 1,
                        named < 0 ? new NumericTableItem() : number(row.probabilities[std::size_t(named)]));
        for (int i = 0; i < int(row.probabilities.size()); ++i)
            table_->setItem(r, firstProbability + i, number(row.probabilities[std::size_t(i)]));
        table_->setItem(r, firstProbability + int(row.probabilities.size()),
                        new QTableWidgetItem(QString::fromLatin1(toString(row.status))));
    }
    table_->resizeColumnsToContents();
    table_->setColumnWidth(0, std::min(table_->columnWidth(0), 28 * table_->fontMetrics().averageCharWidth()));
    // In the given order until a header is clicked (no sort indicator: enabling sorting sorts nothing).
    table_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    table_->setSortingEnabled(true);
    batchSummary_->setText(batchSummaryText(result));
}

QString AnalyzeTab::batchSummaryText(const BatchResult& result) const
{
    const int shown = int(result.rows.size());
    QString text = result.cancelled ? tr("%1 of %2 files (cancelled)").arg(shown).arg(result.filesRequested)
                                    : shown == 1 ? tr("1 file") : tr("%1 files").arg(shown);
    if (result.metrics && result.metrics->total() > 0) {
        const emoscope::EvaluationReport& m = *result.metrics;
        const int correct = int(std::lround(m.accuracy * m.total()));
        text += tr(" · labelled %1: accuracy %2% (%3 correct), UAR %4%")
                    .arg(m.total())
                    .arg(m.accuracy * 100, 0, 'f', 1)
                    .arg(correct)
                    .arg(m.uar * 100, 0, 'f', 1);
    } else if (result.metrics) {
        text += tr(" · no labelled file could be scored");
    } else {
        text += tr(" · true labels unknown (name files like TESS, put them in folders named after the emotion, or "
                   "add a manifest.csv)");
    }
    if (result.metrics && result.unscoredNoSpeech > 0)
        text += result.unscoredNoSpeech == 1 ? tr(" · 1 file without speech not scored")
                                             : tr(" · %1 files without speech not scored").arg(result.unscoredNoSpeech);
    return text;
}

// When the table appears, it gets 45% of the splitter's height (the views and bars share the rest), so a batch
// shows many rows without a drag; later drags by the user are kept.
void AnalyzeTab::giveTableItsShare()
{
    auto* split = qobject_cast<QSplitter*>(resultsPanel_->parentWidget());
    if (!split || split->count() != 3)
        return;
    const int total = std::max(split->height(), 300);
    split->setSizes({total * 33 / 100, total * 22 / 100, total * 45 / 100});
}

void AnalyzeTab::cancelBatch()
{
    engine_->cancel(); // the batch stops after the files in flight and delivers the rows it finished
    cancelButton_->setEnabled(false);
    showMessage(tr("Cancelling: the files being read finish first; the table keeps what is done."), false);
}
