// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/AnalyzeTab.h"

#include "gui/InlineMessage.h"

#include "engine/AnalysisEngine.h"
#include "engine/AudioPlayer.h"
#include "engine/CurrentModel.h"
#include "engine/ResultsCsv.h"
#include "gui/ColorLegend.h"
#include "gui/ColorMap.h"
#include "gui/EmotionBarsView.h"
#include "gui/SpectrogramView.h"
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
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

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
    header->addWidget(playButton_);
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
    viewsLayout->addWidget(waveform_, 1);
    legend_ = new ColorLegend(this); // the spectrogram's dB scale, beside it
    legend_->setObjectName(QStringLiteral("colorLegend"));
    auto* spectrogramRow = new QHBoxLayout;
    spectrogramRow->setSpacing(2);
    spectrogramRow->addWidget(spectrogram_, 1);
    spectrogramRow->addWidget(legend_);
    viewsLayout->addLayout(spectrogramRow, 3);
    viewsLayout->addWidget(readout_);

    auto* emotion = new QWidget(this);
    auto* emotionLayout = new QVBoxLayout(emotion);
    emotionLayout->setContentsMargins(0, 0, 0, 0);
    emotionLayout->addWidget(topLabel_);
    noSpeech_->setAlignment(Qt::AlignCenter);
    noSpeech_->setWordWrap(true);
    barsOrNoSpeech_->addWidget(bars_);
    barsOrNoSpeech_->addWidget(noSpeech_);
    emotionLayout->addWidget(barsOrNoSpeech_, 1);
    auto* lower = new QSplitter(Qt::Horizontal, this);
    lower->addWidget(emotion);
    lower->addWidget(timeline_);
    lower->setStretchFactor(0, 2);
    lower->setStretchFactor(1, 3);
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
}

AnalyzeTab::~AnalyzeTab() = default;

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
    timeline_->hide();
    topLabel_->setText(QStringLiteral("—"));
    title_->setText(tr("No file"));
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
}
