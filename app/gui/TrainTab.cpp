// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/TrainTab.h"
#include "gui/TrainTextFormat.h"

#include "engine/Async.h"
#include "engine/CurrentModel.h"
#include "engine/EvaluationClipPlayer.h"
#include "engine/EvaluationController.h"
#include "engine/EvaluationExport.h"
#include "engine/EvaluationThumbnailLoader.h"
#include "engine/TrainingController.h"
#include "engine/TrainingDatasetScanner.h"
#include "gui/ColorMap.h"
#include "gui/ConfusionMatrixView.h"
#include "gui/EmotionColors.h"
#include "gui/MisclassifiedBrowser.h"
#include "gui/PerClassMetricsTable.h"
#include "gui/TrainSetupPanel.h"
#include "gui/TrainingCurvesView.h"
#include "infer/Classifier.h"
#include "util/Duration.h"

#include <QBuffer>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTime>
#include <QToolButton>
#include <QVBoxLayout>
#include <exception>
#include <utility>

namespace {
QStringList toQStringList(const std::vector<std::string>& v)
{
    QStringList out;
    for (const std::string& s : v)
        out << QString::fromStdString(s);
    return out;
}
} // namespace

TrainTab::TrainTab(CurrentModel* model, QWidget* parent)
    : QWidget(parent), model_(model), scanner_(new TrainingDatasetScanner(this)),
      training_(new TrainingController(this)), evaluation_(new EvaluationController(this)),
      thumbnails_(new EvaluationThumbnailLoader(this)), player_(new EvaluationClipPlayer(this))
{
    buildLayout();
    connectEngine();
    auto modelChanged = [this] {
        // Fine-tuning reads the model from its file: a model trained in memory and not saved cannot be a start.
        const QString path = model_ && model_->isLoaded() ? model_->path() : QString();
        setup_->setCurrentModelAvailable(!path.isEmpty() && QFileInfo(path).isFile(), path);
        updateButtons();
    };
    if (model_)
        connect(model_, &CurrentModel::changed, this, modelChanged);
    modelChanged();
    clearResults();
}

TrainTab::~TrainTab() = default;

void TrainTab::buildLayout()
{
    setup_ = new TrainSetupPanel(this);
    log_ = new QPlainTextEdit(this);
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(500);
    log_->setPlaceholderText(tr("Training log"));
    log_->setMaximumHeight(80);
    auto* setupArea = new QScrollArea(this);
    setupArea->setWidget(setup_);
    setupArea->setWidgetResizable(true);
    setupArea->setFrameShape(QFrame::NoFrame);
    setupArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // The settings never get narrower than their fields need (plus a vertical scroll bar): the splitter stops there
    // instead of clipping them; a short window scrolls them.
    setupArea->setMinimumWidth(setup_->minimumSizeHint().width()
                               + setupArea->style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 2);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(setupArea, 1);
    leftLayout->addWidget(log_);

    start_ = new QPushButton(tr("Start training"), this);
    cancel_ = new QPushButton(tr("Cancel"), this);
    evaluate_ = new QPushButton(tr("Evaluate current model"), this);
    evaluate_->setToolTip(tr("Score the current model on the chosen folder without training"));
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setFormat(QStringLiteral("%p %"));
    status_ = new QLabel(this);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(start_);
    runRow->addWidget(cancel_);
    runRow->addWidget(evaluate_);
    runRow->addWidget(progress_, 1);

    curves_ = new TrainingCurvesView(this);

    resultTitle_ = new QLabel(this);
    QFont bold = resultTitle_->font();
    bold.setBold(true);
    resultTitle_->setFont(bold);
    useModel_ = new QPushButton(tr("Use this model now"), this);
    saveModel_ = new QPushButton(tr("Save model as…"), this);
    export_ = new QToolButton(this);
    export_->setText(tr("Export results"));
    export_->setToolTip(tr("Write the metrics or the confusion matrix of the results on show to a file"));
    export_->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(export_);
    for (auto [kind, text] : {std::pair{ExportKind::MetricsCsv, tr("Metrics as CSV…")},
                              std::pair{ExportKind::MetricsJson, tr("Metrics as JSON…")},
                              std::pair{ExportKind::ConfusionCsv, tr("Confusion matrix as CSV…")},
                              std::pair{ExportKind::ConfusionJson, tr("Confusion matrix as JSON…")},
                              std::pair{ExportKind::ConfusionPng, tr("Confusion matrix as PNG…")}})
        exportMenu->addAction(text, this, [this, kind = kind] { chooseExport(kind); });
    export_->setMenu(exportMenu);
    resultTitle_->setWordWrap(true);
    resultTitle_->setMinimumWidth(120);
    auto* resultRow = new QHBoxLayout;
    resultRow->addWidget(resultTitle_, 1);
    resultRow->addWidget(export_);
    resultRow->addWidget(useModel_);
    resultRow->addWidget(saveModel_);

    confusion_ = new ConfusionMatrixView(this);
    perClass_ = new PerClassMetricsTable(this);
    browser_ = new MisclassifiedBrowser(this);
    // The matrix on the left; beside it, the per-class metrics or the clips of the clicked cell. Stacking all three
    // needed more height than a 1000x700 window has.
    details_ = new QTabWidget(this);
    details_->setDocumentMode(true);
    details_->addTab(perClass_, tr("Per-class metrics"));
    details_->addTab(browser_, tr("Clips of the cell"));
    // The browser's own minimum (a thumbnail and a whole file name) is what the splitter keeps: no cap below it,
    // so names are never elided; the confusion matrix and the settings fit beside it in a 1000 px window.
    details_->setMinimumWidth(browser_->minimumSizeHint().width());
    auto* results = new QSplitter(Qt::Horizontal, this);
    results->addWidget(confusion_);
    results->addWidget(details_);
    results->setStretchFactor(0, 0); // extra width goes to the clip list (file names), the matrix keeps its size
    results->setStretchFactor(1, 1);
    results->setSizes({confusion_->sizeHint().width(), 540});
    results->setChildrenCollapsible(false);

    auto* curvesAndResults = new QSplitter(Qt::Vertical, this);
    curvesAndResults->addWidget(curves_);
    auto* resultsBox = new QWidget(this);
    auto* resultsLayout = new QVBoxLayout(resultsBox);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    resultsLayout->addLayout(resultRow);
    resultsLayout->addWidget(results, 1);
    curvesAndResults->addWidget(resultsBox);
    curvesAndResults->setStretchFactor(0, 1);
    curvesAndResults->setStretchFactor(1, 2);
    curvesAndResults->setSizes({210, 480});
    curvesAndResults->setChildrenCollapsible(false);

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(runRow);
    rightLayout->addWidget(status_);
    rightLayout->addWidget(curvesAndResults, 1);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({setupArea->minimumWidth(), 960});
    split->setChildrenCollapsible(false);
    // On a screen smaller than the tab's minimum (1600x1000 at scale 2 is 800x500) the tab scrolls; the window
    // never grows past the screen.
    auto* content = new QWidget(this);
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(6, 6, 6, 6);
    contentLayout->addWidget(split);
    auto* page = new QScrollArea(this);
    page->setWidget(content);
    page->setWidgetResizable(true);
    page->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(page);
}

void TrainTab::connectEngine()
{
    connect(setup_, &TrainSetupPanel::folderChosen, scanner_, &TrainingDatasetScanner::scan);
    connect(scanner_, &TrainingDatasetScanner::scanStarted, this, [this](const QString& folder) {
        dataset_.reset();
        // Results, curves and progress were about the previous dataset. (A trained model stays usable, by name.)
        clearResults();
        curves_->reset(setup_->epochsSpin()->value());
        progress_->setValue(0);
        setStatus({});
        setup_->setScanning(folder);
        updateButtons();
    });
    connect(scanner_, &TrainingDatasetScanner::scanned, this,
            [this](const QString&, std::shared_ptr<const emoscope::Dataset> dataset) {
                dataset_ = std::move(dataset);
                setup_->setDataset(*dataset_);
                updateButtons();
            });
    connect(scanner_, &TrainingDatasetScanner::failed, this, [this](const QString&, const QString& message) {
        setup_->setScanFailed(message);
        updateButtons();
    });

    connect(start_, &QPushButton::clicked, this, &TrainTab::startTraining);
    connect(cancel_, &QPushButton::clicked, this, &TrainTab::cancelRunning);
    connect(evaluate_, &QPushButton::clicked, this, &TrainTab::startEvaluation);
    connect(useModel_, &QPushButton::clicked, this, &TrainTab::useTrainedModel);
    connect(saveModel_, &QPushButton::clicked, this, &TrainTab::saveTrainedModelAs);

    connect(training_, &TrainingController::preparing, this, [this](const QString& stage, int done, int total) {
        progress_->setValue(total > 0 ? int(1000LL * done / total) : 0);
        setStatus(tr("%1: %2 of %3").arg(stage).arg(done).arg(total));
    });
    connect(training_, &TrainingController::splitReady, this, [this](int train, int test, const QString& description) {
        setStatus(tr("Training on %1 clips (%2 held out for testing)…").arg(train).arg(test));
        log_->appendPlainText(tr("Split: %1").arg(description));
    });
    connect(training_, &TrainingController::batchProgress, this, &TrainTab::onBatch);
    connect(training_, &TrainingController::epochFinished, this, &TrainTab::onEpoch);
    connect(training_, &TrainingController::logMessage, log_, &QPlainTextEdit::appendPlainText);
    connect(training_, &TrainingController::finished, this, &TrainTab::onTrainingFinished);
    connect(training_, &TrainingController::saved, this,
            [this](const QString& path) { setStatus(tr("Model saved to %1").arg(path)); });
    connect(training_, &TrainingController::saveFailed, this,
            [this](const QString& message) { setStatus(tr("Could not save the model: %1").arg(message)); });

    connect(evaluation_, &EvaluationController::progress, this, [this](int done, int total) {
        progress_->setValue(total > 0 ? int(1000LL * done / total) : 0);
        setStatus(tr("Evaluating: %1 of %2 clips").arg(done).arg(total));
    });
    connect(evaluation_, &EvaluationController::finished, this, &TrainTab::onEvaluationFinished);

    connect(confusion_, &ConfusionMatrixView::cellClicked, this, &TrainTab::showCell);
    connect(browser_, &MisclassifiedBrowser::thumbnailsWanted, thumbnails_, &EvaluationThumbnailLoader::request);
    connect(thumbnails_, &EvaluationThumbnailLoader::thumbnailReady, this,
            [this](const QString& file, const EvaluationThumbnailLoader::Thumbnail& db) {
                browser_->setThumbnail(file, db); // drawn with the chosen colour map
            });
    connect(browser_, &MisclassifiedBrowser::playRequested, player_, &EvaluationClipPlayer::play);
    connect(browser_, &MisclassifiedBrowser::openInAnalyzeRequested, this, &TrainTab::openInAnalyzeRequested);
    connect(player_, &EvaluationClipPlayer::started, browser_, &MisclassifiedBrowser::setPlayingFile);
    connect(player_, &EvaluationClipPlayer::stopped, browser_, [this] { browser_->setPlayingFile({}); });
    connect(player_, &EvaluationClipPlayer::failed, this, [this](const QString&, const QString& message) {
        setStatus(tr("Cannot play: %1").arg(message));
    });
}

QString TrainTab::statusText() const
{
    return status_->text();
}

void TrainTab::setStatus(const QString& text)
{
    status_->setText(text);
}

void TrainTab::updateButtons()
{
    const bool busy = training_->isRunning() || evaluation_->isRunning();
    const bool haveData = dataset_ && !dataset_->clips.empty();
    start_->setEnabled(!busy && haveData);
    cancel_->setEnabled(busy);
    evaluate_->setEnabled(!busy && haveData && model_ && model_->isLoaded());
    useModel_->setEnabled(!busy && training_->hasModel());
    saveModel_->setEnabled(!busy && training_->hasModel());
    export_->setEnabled(!busy && report_.total() > 0);
    // The buttons act on the model the last run kept: say which, so they are never taken for what is on show.
    const QString which = training_->hasModel() ? trainedModelName_ : tr("No trained model: train one first");
    useModel_->setToolTip(which);
    saveModel_->setToolTip(which);
    setup_->setEnabled(!busy);
}

void TrainTab::clearResults()
{
    report_ = {};
    resultTitle_->setText(tr("Results"));
    confusion_->clear();
    perClass_->clear();
    browser_->clear();
    export_->setEnabled(false);
}

void TrainTab::showReport(const emoscope::EvaluationReport& report, const QString& title)
{
    report_ = report;
    resultTitle_->setText(title);
    QVector<QVector<int>> counts;
    for (const auto& row : report.confusion)
        counts.append(QVector<int>(row.begin(), row.end()));
    confusion_->setMatrix(toQStringList(report.labels), counts);
    perClass_->setReport(report);
    browser_->clear();
    details_->setCurrentWidget(perClass_);
    export_->setEnabled(report.total() > 0);
    if (!report.errors.empty())
        log_->appendPlainText(toQStringList(report.errors).join(QLatin1Char('\n')));
}

void TrainTab::showCell(int trueIndex, int predictedIndex)
{
    const int n = int(report_.labels.size());
    if (trueIndex < 0 || predictedIndex < 0 || trueIndex >= n || predictedIndex >= n)
        return;
    confusion_->setSelectedCell(trueIndex, predictedIndex);
    const auto clips = report_.cell(trueIndex, predictedIndex);
    const QString t = EmotionColors::displayName(QString::fromStdString(report_.labels[trueIndex]));
    const QString p = EmotionColors::displayName(QString::fromStdString(report_.labels[predictedIndex]));
    browser_->setClips(tr("True %1, predicted %2: %3").arg(t, p, traintext::clips(int(clips.size()))), clips,
                       report_.labels);
    details_->setCurrentWidget(browser_);
}

void TrainTab::startTraining()
{
    if (!dataset_ || training_->isRunning() || evaluation_->isRunning())
        return;
    // The engine builds and checks the options (TrainOptions::validate, the CLI's limits); the tab only forwards.
    QString problem;
    const std::optional<emoscope::TrainOptions> options = training_->optionsFor(setup_->request(), &problem);
    if (!options) {
        setStatus(problem);
        return;
    }
    clearResults();
    curves_->reset(options->epochs);
    progress_->setValue(0);
    log_->clear();
    // The controller splits (as the CLI does) and trains on its worker; splitReady() or finished() follow.
    if (!training_->start(dataset_, setup_->splitSpec(), *options))
        return;
    setStatus(tr("Splitting the data…"));
    log_->appendPlainText(tr("Checkpoints: %1").arg(training_->checkpointPath()));
    updateButtons();
}

void TrainTab::onBatch(const emoscope::BatchProgress& p)
{
    const long long planned = std::max(1LL, 1LL * p.epochs * p.batches);
    const long long done = 1LL * (p.epoch - 1) * p.batches + p.batch;
    progress_->setValue(int(1000 * done / planned));
    setStatus(tr("Epoch %1/%2 · batch %3/%4 · loss %5 · accuracy %6 % · ETA %7")
                  .arg(p.epoch).arg(p.epochs).arg(p.batch).arg(p.batches)
                  .arg(p.loss, 0, 'f', 3).arg(100.0 * p.accuracy, 0, 'f', 1)
                  .arg(QString::fromStdString(emoscope::formatDuration(p.etaSeconds))));
}

void TrainTab::onEpoch(const emoscope::EpochReport& r)
{
    curves_->addEpoch(r);
    log_->appendPlainText(tr("Epoch %1: train loss %2, accuracy %3 %; validation loss %4, accuracy %5 %, UAR %6 %%7 (%8 s)")
                              .arg(r.epoch)
                              .arg(r.trainLoss, 0, 'f', 3).arg(100.0 * r.trainAccuracy, 0, 'f', 1)
                              .arg(r.validationLoss, 0, 'f', 3).arg(100.0 * r.validationAccuracy, 0, 'f', 1)
                              .arg(100.0 * r.validationUar, 0, 'f', 1)
                              .arg(r.best ? tr(", best so far") : QString())
                              .arg(r.seconds, 0, 'f', 1));
}

void TrainTab::onTrainingFinished(bool cancelled, const QString& error)
{
    const emoscope::TrainResult& result = training_->result();
    if (!error.isEmpty()) {
        setStatus((training_->splitFailed() ? tr("Cannot split the data: %1") : tr("Training failed: %1")).arg(error));
    } else if (cancelled) {
        setStatus(training_->hasModel() ? tr("Cancelled. The best model so far (epoch %1) is kept").arg(result.bestEpoch)
                                        : tr("Cancelled before the first epoch finished"));
    } else {
        progress_->setValue(progress_->maximum());
        setStatus(tr("Finished: best epoch %1 of %2").arg(result.bestEpoch).arg(result.history.size()));
    }
    trainedModelName_ = training_->hasModel()
        ? tr("The model of the run finished at %1 on %2 (best epoch %3)")
              .arg(QTime::currentTime().toString(QStringLiteral("HH:mm")), setup_->datasetFolder())
              .arg(result.bestEpoch)
        : QString();
    browser_->setExplainModel(training_->classifier()); // the model whose test clips the browser lists
    if (result.test.total() > 0)
        showReport(result.test, tr("Test part with the best weights (epoch %1): %2")
                                    .arg(result.bestEpoch).arg(traintext::clips(result.test.total())));
    updateButtons();
    // A cancelled run has no test report; score the kept model on the test part so there is one to look at.
    const std::vector<int>& testPart = training_->split().split.test;
    if (error.isEmpty() && cancelled && training_->hasModel() && !testPart.empty()
        && evaluation_->start(training_->classifier(), dataset_, testPart)) {
        browser_->setExplainModel(training_->classifier());
        evaluationTitle_ = tr("Test part with the best model so far (epoch %1): %2").arg(result.bestEpoch);
        statusAfterEvaluation_ = statusText();
        setStatus(statusText() + tr(". Scoring it on the test part…"));
        updateButtons();
    }
}

void TrainTab::startEvaluation()
{
    if (!dataset_ || !model_ || !model_->isLoaded() || training_->isRunning() || evaluation_->isRunning())
        return;
    clearResults();
    curves_->reset(setup_->epochsSpin()->value()); // the curves were the last run's, not this model's
    progress_->setValue(0);
    // The test part is split on the controller's worker, with the same rule as training and the CLI.
    const bool started = setup_->evaluateTestPartOnly()
                             ? evaluation_->start(model_->classifier(), dataset_, setup_->splitSpec())
                             : evaluation_->start(model_->classifier(), dataset_);
    if (!started)
        return;
    browser_->setExplainModel(model_->classifier());
    evaluationTitle_ = tr("Current model on %1: %2").arg(setup_->datasetFolder());
    setStatus(tr("Evaluating %1…").arg(model_->path()));
    updateButtons();
}

void TrainTab::onEvaluationFinished(bool cancelled, const QString& error)
{
    // A scoring of a cancelled run's model keeps the cancel message (and clears it for the next evaluation).
    const QString afterEvaluation = std::exchange(statusAfterEvaluation_, QString());
    if (!error.isEmpty())
        setStatus(tr("Evaluation failed: %1").arg(error));
    else if (cancelled)
        setStatus(tr("Evaluation cancelled"));
    else {
        progress_->setValue(progress_->maximum());
        const emoscope::EvaluationReport& report = evaluation_->report();
        setStatus(afterEvaluation.isEmpty() ? tr("Evaluation finished") : afterEvaluation);
        showReport(report, evaluationTitle_.arg(traintext::clips(report.total())));
    }
    updateButtons();
}

void TrainTab::cancelRunning()
{
    if (training_->isRunning()) {
        training_->cancel();
        setStatus(tr("Cancelling after this batch…"));
    }
    if (evaluation_->isRunning())
        evaluation_->cancel();
}

void TrainTab::useTrainedModel()
{
    if (model_ && training_->hasModel()) {
        model_->set(training_->classifier());
        setStatus(tr("The trained model is now the current model"));
    }
}

void TrainTab::saveTrainedModelAs()
{
    if (!training_->hasModel())
        return;
    QSettings settings;
    const QString folder = settings.value(QStringLiteral("folders/model"), QDir::homePath()).toString();
    const QString path = QFileDialog::getSaveFileName(this, tr("Save model as"), folder + QStringLiteral("/emoscope-trained.pt"),
                                                      tr("Emoscope models (*.pt)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("folders/model"), QFileInfo(path).absolutePath());
    training_->saveModelAsync(path);
}

void TrainTab::chooseExport(ExportKind kind)
{
    const bool json = kind == ExportKind::MetricsJson || kind == ExportKind::ConfusionJson;
    const bool metrics = kind == ExportKind::MetricsCsv || kind == ExportKind::MetricsJson;
    const QString suffix = kind == ExportKind::ConfusionPng ? QStringLiteral("png") : json ? QStringLiteral("json") : QStringLiteral("csv");
    const QString filter = kind == ExportKind::ConfusionPng ? tr("PNG images (*.png)") : json ? tr("JSON (*.json)") : tr("CSV (*.csv)");
    QSettings settings;
    QString folder = settings.value(QStringLiteral("folders/export")).toString();
    if (folder.isEmpty())
        folder = QDir::homePath();
    const QString name = (metrics ? QStringLiteral("evaluation-metrics.") : QStringLiteral("confusion-matrix.")) + suffix;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export results"), folder + QLatin1Char('/') + name, filter);
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("folders/export"), QFileInfo(path).absolutePath());
    exportResults(kind, path);
}

void TrainTab::exportResults(ExportKind kind, const QString& path)
{
    if (report_.total() == 0) {
        const QString error = tr("%1: there are no results to export (train or evaluate first)").arg(path);
        setStatus(tr("Could not export: %1").arg(error));
        Q_EMIT exported(path, error);
        return;
    }
    // The image is drawn here (it needs the widget's font); encoding and writing run on a worker.
    QImage image;
    if (kind == ExportKind::ConfusionPng)
        image = confusion_->renderImage(QSize(ConfusionMatrixView::kExportSide, ConfusionMatrixView::kExportSide));
    setStatus(tr("Writing %1…").arg(path));
    engine::runJob(
        this,
        [kind, report = report_, image, path]() -> QString {
            QByteArray bytes;
            switch (kind) {
            case ExportKind::MetricsCsv: bytes = EvaluationExport::metricsCsv(report); break;
            case ExportKind::MetricsJson: bytes = EvaluationExport::metricsJson(report); break;
            case ExportKind::ConfusionCsv: bytes = EvaluationExport::confusionCsv(report); break;
            case ExportKind::ConfusionJson: bytes = EvaluationExport::confusionJson(report); break;
            case ExportKind::ConfusionPng: {
                QBuffer buffer(&bytes);
                buffer.open(QIODevice::WriteOnly);
                if (!image.save(&buffer, "PNG"))
                    return tr("%1: could not encode the image as PNG").arg(path);
                break;
            }
            }
            return EvaluationExport::write(path, bytes);
        },
        [this, path](const engine::Outcome<QString>& outcome) {
            const QString error = outcome.ok() ? outcome.value : tr("%1: %2").arg(path, outcome.error);
            setStatus(error.isEmpty() ? tr("Results written to %1").arg(path) : tr("Could not export: %1").arg(error));
            Q_EMIT exported(path, error);
        });
}

void TrainTab::setColorMap(const ColorMap& map)
{
    colorMap_ = map;
    browser_->setColorMap(map);
}
