// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "train/Dataset.h"
#include "train/Metrics.h"

#include "gui/ColorMap.h"

#include <QStringList>
#include <QWidget>
#include <memory>
#include <vector>

class CurrentModel;
class ConfusionMatrixView;
class EvaluationClipPlayer;
class EvaluationController;
class EvaluationThumbnailLoader;
class MisclassifiedBrowser;
class PerClassMetricsTable;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QTabWidget;
class QPushButton;
class QToolButton;
class TrainingController;
class TrainingCurvesView;
class TrainingDatasetScanner;
class TrainSetupPanel;

namespace emoscope {
struct BatchProgress;
struct EpochReport;
}

// Train tab: set-up form, Start / Cancel / Evaluate only, progress and curves, then the confusion matrix,
// per-class table and the clip browser of the clicked cell, and "use" / "save" for the trained model.
// The work runs in engine objects (scanner, training and evaluation controllers, thumbnail loader, player);
// this widget wires them to the views.
class TrainTab : public QWidget {
    Q_OBJECT
public:
    explicit TrainTab(CurrentModel* model, QWidget* parent = nullptr);
    ~TrainTab() override;

    TrainingController* trainingController() const { return training_; }
    EvaluationController* evaluationController() const { return evaluation_; }
    TrainingDatasetScanner* scanner() const { return scanner_; }
    TrainSetupPanel* setupPanel() const { return setup_; }
    TrainingCurvesView* curves() const { return curves_; }
    ConfusionMatrixView* confusionView() const { return confusion_; }
    PerClassMetricsTable* perClassTable() const { return perClass_; }
    MisclassifiedBrowser* clipBrowser() const { return browser_; }
    QPushButton* startButton() const { return start_; }
    QPushButton* cancelButton() const { return cancel_; }
    QPushButton* evaluateButton() const { return evaluate_; }
    QPushButton* useModelButton() const { return useModel_; }
    QPushButton* saveModelButton() const { return saveModel_; }
    QProgressBar* progressBar() const { return progress_; }
    QToolButton* exportButton() const { return export_; }
    QString statusText() const;

    std::shared_ptr<const emoscope::Dataset> dataset() const { return dataset_; }
    // The results on show (test part after training, or the evaluated folder).
    const emoscope::EvaluationReport& shownReport() const { return report_; }

    // What "Export results" can write (EvaluationExport's formats; the PNG is ConfusionMatrixView::renderImage).
    enum class ExportKind { MetricsCsv, MetricsJson, ConfusionCsv, ConfusionJson, ConfusionPng };
    // Writes the results on show to path, atomically, on a worker; exported() follows.
    void exportResults(ExportKind kind, const QString& path);
    // The map the clip browser's spectrogram thumbnails are drawn with (View › Colour map).
    void setColorMap(const ColorMap& map); // also the clip browser's thumbnails and clip view
    const ColorMap& colorMap() const { return colorMap_; }

public Q_SLOTS:
    void startTraining();
    void startEvaluation();
    void cancelRunning();
    void useTrainedModel();
    void saveTrainedModelAs();
    // Lists the clips of one confusion cell in the browser (what clicking the cell does).
    void showCell(int trueIndex, int predictedIndex);

Q_SIGNALS:
    // Connect to MainWindow::openFiles.
    void openInAnalyzeRequested(const QStringList& files);
    // After exportResults: error is "" or "<path>: <reason>".
    void exported(const QString& path, const QString& error);

private:
    void buildLayout();
    void connectEngine();
    void updateButtons();
    void setStatus(const QString& text);
    void showReport(const emoscope::EvaluationReport& report, const QString& title);
    void clearResults();
    void chooseExport(ExportKind kind);
    void onBatch(const emoscope::BatchProgress& progress);
    void onEpoch(const emoscope::EpochReport& report);
    void onTrainingFinished(bool cancelled, const QString& error);
    void onEvaluationFinished(bool cancelled, const QString& error);

    CurrentModel* model_;
    TrainingDatasetScanner* scanner_;
    TrainingController* training_;
    EvaluationController* evaluation_;
    EvaluationThumbnailLoader* thumbnails_;
    EvaluationClipPlayer* player_;

    TrainSetupPanel* setup_;
    QPushButton* start_;
    QPushButton* cancel_;
    QPushButton* evaluate_;
    QProgressBar* progress_;
    QLabel* status_;
    TrainingCurvesView* curves_;
    QLabel* resultTitle_;
    ConfusionMatrixView* confusion_;
    PerClassMetricsTable* perClass_;
    MisclassifiedBrowser* browser_;
    QTabWidget* details_; // per-class metrics | clips of the clicked cell, beside the matrix
    QPushButton* useModel_;
    QPushButton* saveModel_;
    QToolButton* export_;
    QPlainTextEdit* log_;

    std::shared_ptr<const emoscope::Dataset> dataset_;
    emoscope::EvaluationReport report_;
    QString evaluationTitle_;       // results title of the running evaluation; %1 = clip count
    QString statusAfterEvaluation_; // status to show when it ends ("" = "Evaluation finished")
    QString trainedModelName_;      // which run's model "Use" and "Save" act on
    ColorMap colorMap_;
};
