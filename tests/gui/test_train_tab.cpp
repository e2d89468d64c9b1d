// SPDX-License-Identifier: GPL-3.0-or-later
// Drives the Train tab like a user on a tiny TESS subset (5 clips per emotion of one speaker, symlinked into a
// temporary folder) with a tiny network: scan, one epoch through the real widgets, the confusion matrix
// against the core metrics, a cell click listing exactly that cell's clips, "use this model", evaluate only,
// and a cancel in the middle of a long run.
#include "TestData.h"

#include "engine/CurrentModel.h"
#include "engine/EvaluationController.h"
#include "engine/TrainingController.h"
#include "engine/TrainingDatasetScanner.h"
#include "gui/ConfusionMatrixView.h"
#include "gui/MisclassifiedBrowser.h"
#include "gui/PerClassMetricsTable.h"
#include "gui/TrainSetupPanel.h"
#include "gui/TrainTab.h"
#include "gui/TrainingCurvesView.h"
#include "infer/Classifier.h"
#include "train/Metrics.h"
#include "train/Trainer.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLineSeries>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace {
constexpr int kClipsPerEmotion = 5;
constexpr int kEmotions = 7;
constexpr int kTrainTimeoutMs = 120000;

QStringList filesOf(const std::vector<emoscope::ClipResult>& clips)
{
    QStringList out;
    for (const auto& c : clips)
        out << QString::fromStdString(c.file);
    return out;
}

QVector<QVector<int>> toQt(const std::vector<std::vector<int>>& m)
{
    QVector<QVector<int>> out;
    for (const auto& row : m)
        out.append(QVector<int>(row.begin(), row.end()));
    return out;
}
} // namespace

class TestTrainTab : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scanSummarisesTheFolder();
    void oneEpochThroughTheWidgets();
    void clickingACellListsExactlyItsClips();
    void useThisModelInstallsTheTrainedModel();
    void saveWritesALoadableModelWithProvenance();
    void fineTunesFromASavedModelFile();
    void aMissingStartModelIsReported();
    void evaluateOnlyShowsTheCoreMetrics();
    void cancelReturnsWithinABatchAndKeepsTheBestModel();
    void changingTheDatasetClearsTheResults();
    void cleanupTestCase();

private:
    QTemporaryDir data_;
    CurrentModel model_;
    std::unique_ptr<TrainTab> tab_;
};

void TestTrainTab::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // checkpoints go to a test location, not the user's data
    QVERIFY(data_.isValid());
    const QDir tess(testdata::tessDir());
    QVERIFY2(tess.exists(), qPrintable(tess.path()));
    int linked = 0;
    for (const QString& folder : tess.entryList({QStringLiteral("OAF_*")}, QDir::Dirs, QDir::Name)) {
        QVERIFY(QDir(data_.path()).mkpath(folder));
        const QStringList clips = QDir(tess.filePath(folder)).entryList({QStringLiteral("*.flac")}, QDir::Files, QDir::Name);
        QVERIFY(clips.size() >= kClipsPerEmotion);
        for (int i = 0; i < kClipsPerEmotion; ++i) {
            QVERIFY(QFile::link(tess.absoluteFilePath(folder + QLatin1Char('/') + clips[i]),
                                data_.filePath(folder + QLatin1Char('/') + clips[i])));
            ++linked;
        }
    }
    QCOMPARE(linked, kClipsPerEmotion * kEmotions);
    // One unreadable file the scan must skip with a reason.
    QFile broken(data_.filePath(QStringLiteral("OAF_angry/OAF_broken_angry.flac")));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("not audio");
    broken.close();

    tab_ = std::make_unique<TrainTab>(&model_);
    emoscope::TrainOptions base = tab_->trainingController()->baseOptions();
    base.arch.widths = {8, 16}; // tiny network: the test is about the plumbing, not accuracy
    base.seed = 7;
    tab_->trainingController()->setBaseOptions(base);
    tab_->resize(1280, 800);
    tab_->show();
    QVERIFY(QTest::qWaitForWindowExposed(tab_.get()));
}

void TestTrainTab::scanSummarisesTheFolder()
{
    QVERIFY(!tab_->startButton()->isEnabled()); // nothing to train on yet
    tab_->setupPanel()->chooseFolder(data_.path());
    QTRY_VERIFY_WITH_TIMEOUT(tab_->dataset() != nullptr, 30000);
    QCOMPARE(int(tab_->dataset()->clips.size()), kClipsPerEmotion * kEmotions);
    const QString summary = tab_->setupPanel()->summaryText();
    QVERIFY2(summary.contains(QStringLiteral("35 clips")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("layout tess")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("OAF 35")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("angry 5")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("1 file skipped")), qPrintable(summary));
    QVERIFY2(tab_->setupPanel()->skippedText().contains(QStringLiteral("OAF_broken_angry.flac: ")),
             qPrintable(tab_->setupPanel()->skippedText()));
    QCOMPARE(tab_->setupPanel()->speakerList()->count(), 1);
    QVERIFY(tab_->startButton()->isEnabled());

    // Speaker-independent with the only speaker held out leaves nothing to train on: said, and nothing starts.
    TrainSetupPanel* setup = tab_->setupPanel();
    setup->setSplitMode(emoscope::SplitMode::Speaker);
    setup->setCheckedSpeakers({QStringLiteral("OAF")});
    QCOMPARE(setup->splitSpec().testSpeakers, (std::vector<std::string>{"OAF"}));
    // The split is made on the controller's worker: the run ends before any training, saying why.
    QSignalSpy ended(tab_->trainingController(), &TrainingController::finished);
    QTest::mouseClick(tab_->startButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, 10000);
    QVERIFY(!tab_->trainingController()->isRunning());
    QVERIFY(tab_->trainingController()->splitFailed());
    QVERIFY(!tab_->trainingController()->hasModel());
    QVERIFY(tab_->trainingController()->result().history.empty());
    QVERIFY2(tab_->statusText().startsWith(QStringLiteral("Cannot split the data")), qPrintable(tab_->statusText()));
}

void TestTrainTab::oneEpochThroughTheWidgets()
{
    TrainSetupPanel* setup = tab_->setupPanel();
    setup->setSplitMode(emoscope::SplitMode::Random);
    setup->testPercentSpin()->setValue(20);
    setup->epochsSpin()->setValue(1);
    setup->batchSizeSpin()->setValue(8);
    setup->setStartFrom(TrainSetupPanel::StartFrom::Scratch);

    TrainingController* controller = tab_->trainingController();
    QSignalSpy finished(controller, &TrainingController::finished);
    QSignalSpy epochs(controller, &TrainingController::epochFinished);
    QTest::mouseClick(tab_->startButton(), Qt::LeftButton);
    QVERIFY(controller->isRunning());
    const QString checkpoint = controller->checkpointPath();
    QVERIFY(!checkpoint.isEmpty());
    QVERIFY(tab_->cancelButton()->isEnabled());
    QVERIFY(!tab_->startButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTrainTimeoutMs);
    QCOMPARE(finished.at(0).at(0).toBool(), false);               // not cancelled
    QCOMPARE(finished.at(0).at(1).toString(), QString());         // no error
    QCOMPARE(epochs.count(), 1);

    const emoscope::TrainResult& result = controller->result();
    QCOMPARE(int(result.history.size()), 1);
    QCOMPARE(result.bestEpoch, 1);
    QVERIFY(controller->hasModel());
    QCOMPARE(controller->batchesCompleted(), controller->batchesPlanned());
    QCOMPARE(tab_->progressBar()->value(), tab_->progressBar()->maximum());
    // One point per epoch on every curve, at the reported values.
    QCOMPARE(tab_->curves()->trainLoss()->count(), 1);
    QCOMPARE(tab_->curves()->validationAccuracy()->count(), 1);
    QCOMPARE(tab_->curves()->trainLoss()->at(0).y(), result.history[0].trainLoss);
    // The run's checkpoint was written, and removed when the run ended (issue 9: no 20 MB left per run).
    QVERIFY(!QFileInfo::exists(checkpoint));
    QVERIFY(controller->checkpointPath().isEmpty());

    // The matrix shows the core's confusion of the test part, whose size is what the split held out.
    QVERIFY(result.test.total() > 0);
    QCOMPARE(result.test.total(), result.testClips);
    QCOMPARE(tab_->confusionView()->counts(), toQt(result.test.confusion));
    QCOMPARE(tab_->perClassTable()->table()->rowCount(), kEmotions);
    QVERIFY(tab_->useModelButton()->isEnabled());
    QVERIFY(tab_->saveModelButton()->isEnabled());
    QVERIFY(tab_->startButton()->isEnabled());
}

void TestTrainTab::clickingACellListsExactlyItsClips()
{
    const emoscope::EvaluationReport& report = tab_->shownReport();
    ConfusionMatrixView* view = tab_->confusionView();
    int clicked = 0;
    for (int t = 0; t < kEmotions; ++t) {
        for (int p = 0; p < kEmotions; ++p) {
            if (view->count(t, p) == 0 && !(t == 0 && p == kEmotions - 1))
                continue; // every non-empty cell, plus one empty one
            QSignalSpy cellClicked(view, &ConfusionMatrixView::cellClicked);
            QTest::mouseClick(view, Qt::LeftButton, {}, view->cellRect(t, p).center());
            QCOMPARE(cellClicked.count(), 1);
            QCOMPARE(cellClicked.at(0).at(0).toInt(), t);
            QCOMPARE(cellClicked.at(0).at(1).toInt(), p);
            const QStringList expected = filesOf(report.cell(t, p));
            QCOMPARE(int(expected.size()), view->count(t, p));
            QCOMPARE(tab_->clipBrowser()->files(), expected);
            QCOMPARE(tab_->clipBrowser()->table()->rowCount(), int(expected.size()));
            ++clicked;
        }
    }
    QVERIFY(clicked >= 2);

    // Thumbnails are computed off the GUI thread and arrive for the listed clips.
    int t = 0, p = 0;
    for (; t < kEmotions; ++t)
        if (view->count(t, t) > 0)
            break;
    QVERIFY(t < kEmotions);
    p = t;
    QTest::mouseClick(view, Qt::LeftButton, {}, view->cellRect(t, p).center());
    const QString first = tab_->clipBrowser()->files().value(0);
    QTRY_VERIFY_WITH_TIMEOUT(tab_->clipBrowser()->hasThumbnail(first), 30000);

    // "Open in Analyze" hands the listed files to whoever listens (MainWindow::openFiles).
    QSignalSpy open(tab_.get(), &TrainTab::openInAnalyzeRequested);
    Q_EMIT tab_->clipBrowser()->openInAnalyzeRequested(tab_->clipBrowser()->files());
    QCOMPARE(open.count(), 1);
    QCOMPARE(open.at(0).at(0).toStringList(), tab_->clipBrowser()->files());
}

void TestTrainTab::useThisModelInstallsTheTrainedModel()
{
    QSignalSpy changed(&model_, &CurrentModel::changed);
    QTest::mouseClick(tab_->useModelButton(), Qt::LeftButton);
    QCOMPARE(changed.count(), 1);
    QVERIFY(model_.classifier() == tab_->trainingController()->classifier());
    QVERIFY(tab_->evaluateButton()->isEnabled());
}

void TestTrainTab::saveWritesALoadableModelWithProvenance()
{
    TrainingController* controller = tab_->trainingController();
    const QString path = data_.filePath(QStringLiteral("trained.pt"));
    QSignalSpy saved(controller, &TrainingController::saved);
    QSignalSpy failed(controller, &TrainingController::saveFailed);
    controller->saveModelAsync(path);
    QTRY_VERIFY_WITH_TIMEOUT(saved.count() + failed.count() == 1, 30000);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(saved.at(0).at(0).toString(), path);

    const auto loaded = emoscope::Classifier::load(path.toStdString());
    QCOMPARE(int(loaded->labels().size()), kEmotions);
    QCOMPARE(loaded->card().arch.widths, (std::vector<int>{8, 16}));
    // The card says where the model came from and how well it did.
    const QString provenance = QString::fromStdString(loaded->card().provenanceJson);
    QVERIFY2(provenance.contains(QStringLiteral("random:0.2")), qPrintable(provenance));
    QVERIFY2(provenance.contains(QStringLiteral("Train tab")), qPrintable(provenance));
    QVERIFY2(provenance.contains(QDir(data_.path()).dirName()), qPrintable(provenance));
    QVERIFY2(QString::fromStdString(loaded->card().metricsJson).contains(QStringLiteral("\"test\"")),
             qPrintable(QString::fromStdString(loaded->card().metricsJson)));
    // Same weights as the model in memory: identical probabilities on a clip.
    const std::string clip = tab_->dataset()->clips.front().path;
    QCOMPARE(loaded->classifyFile(clip), controller->classifier()->classifyFile(clip));
}

void TestTrainTab::fineTunesFromASavedModelFile()
{
    TrainSetupPanel* setup = tab_->setupPanel();
    setup->setStartFrom(TrainSetupPanel::StartFrom::ModelFile);
    setup->setModelFile(data_.filePath(QStringLiteral("trained.pt")));
    setup->epochsSpin()->setValue(1);
    TrainingController* controller = tab_->trainingController();
    QSignalSpy finished(controller, &TrainingController::finished);
    QTest::mouseClick(tab_->startButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTrainTimeoutMs);
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    QVERIFY(controller->hasModel());
    const QString provenance = QString::fromStdString(controller->classifier()->card().provenanceJson);
    QVERIFY2(provenance.contains(QStringLiteral("trained.pt")), qPrintable(provenance));
}

void TestTrainTab::aMissingStartModelIsReported()
{
    TrainSetupPanel* setup = tab_->setupPanel();
    setup->setStartFrom(TrainSetupPanel::StartFrom::ModelFile);
    setup->setModelFile(data_.filePath(QStringLiteral("no-such-model.pt")));
    TrainingController* controller = tab_->trainingController();
    QSignalSpy finished(controller, &TrainingController::finished);
    QTest::mouseClick(tab_->startButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTrainTimeoutMs);
    const QString error = finished.at(0).at(1).toString();
    QVERIFY2(error.contains(QStringLiteral("no-such-model.pt")), qPrintable(error));
    QVERIFY2(tab_->statusText().startsWith(QStringLiteral("Training failed")), qPrintable(tab_->statusText()));
    QVERIFY(!controller->hasModel());
    QVERIFY(!tab_->useModelButton()->isEnabled());
    QVERIFY(tab_->startButton()->isEnabled());
    setup->setStartFrom(TrainSetupPanel::StartFrom::Scratch);
}

void TestTrainTab::evaluateOnlyShowsTheCoreMetrics()
{
    EvaluationController* evaluation = tab_->evaluationController();
    QSignalSpy finished(evaluation, &EvaluationController::finished);
    QTest::mouseClick(tab_->evaluateButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTrainTimeoutMs);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QCOMPARE(finished.at(0).at(1).toString(), QString());

    // Every clip of the folder, scored by the model we installed; the views show exactly that report.
    const emoscope::EvaluationReport& report = evaluation->report();
    QCOMPARE(report.total(), kClipsPerEmotion * kEmotions);
    QVERIFY(report.errors.empty());
    const auto expected = emoscope::evaluateModel(*model_.classifier(), *tab_->dataset());
    QCOMPARE(toQt(report.confusion), toQt(expected.confusion));
    QCOMPARE(tab_->confusionView()->counts(), toQt(report.confusion));
    QCOMPARE(tab_->shownReport().total(), report.total());
    // The curves of the earlier runs are not this model's: evaluating cleared them (issue 9).
    QCOMPARE(tab_->curves()->trainLoss()->count(), 0);
    QCOMPARE(tab_->curves()->validationAccuracy()->count(), 0);

    ConfusionMatrixView* view = tab_->confusionView();
    QTest::mouseClick(view, Qt::LeftButton, {}, view->cellRect(0, 0).center());
    QCOMPARE(tab_->clipBrowser()->files(), filesOf(report.cell(0, 0)));
}

void TestTrainTab::cancelReturnsWithinABatchAndKeepsTheBestModel()
{
    TrainSetupPanel* setup = tab_->setupPanel();
    setup->epochsSpin()->setValue(200); // far longer than the test will let it run
    setup->batchSizeSpin()->setValue(2);
    setup->setStartFrom(TrainSetupPanel::StartFrom::Scratch);

    TrainingController* controller = tab_->trainingController();
    QSignalSpy finished(controller, &TrainingController::finished);
    QSignalSpy epochs(controller, &TrainingController::epochFinished);
    QTest::mouseClick(tab_->startButton(), Qt::LeftButton);
    QVERIFY(controller->isRunning());
    const QString checkpoint = controller->checkpointPath();
    // Let one epoch complete (so there is a best model and a checkpoint), then cancel in the middle of the next.
    QTRY_VERIFY_WITH_TIMEOUT(epochs.count() >= 1, kTrainTimeoutMs);
    const int batchesPerEpoch = controller->batchesPlanned() / setup->epochsSpin()->value();
    QVERIFY(batchesPerEpoch >= 10);
    QTRY_VERIFY_WITH_TIMEOUT(controller->batchesCompleted() > batchesPerEpoch + 1, kTrainTimeoutMs);
    QSignalSpy evaluated(tab_->evaluationController(), &EvaluationController::finished);
    QTest::mouseClick(tab_->cancelButton(), Qt::LeftButton);
    const int batchesAtCancel = controller->batchesCompleted();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTrainTimeoutMs);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(finished.at(0).at(1).toString(), QString());

    QVERIFY(controller->result().cancelled);
    // The batch running when Cancel was clicked may finish; no further batch starts.
    QVERIFY2(controller->batchesCompleted() <= batchesAtCancel + 1,
             qPrintable(QStringLiteral("%1 batches after cancel at %2").arg(controller->batchesCompleted()).arg(batchesAtCancel)));
    QVERIFY(controller->batchesCompleted() < controller->batchesPlanned());
    QVERIFY(controller->result().bestEpoch >= 1);
    QVERIFY(controller->hasModel());
    // A checkpoint was written during the run; it is gone now, and nothing on screen names it.
    QVERIFY(!checkpoint.isEmpty() && !QFileInfo::exists(checkpoint));
    QVERIFY(!tab_->statusText().contains(checkpoint));

    // A cancelled run has no test report of its own: the tab scores the kept model on the test part.
    QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 1, kTrainTimeoutMs);
    QCOMPARE(evaluated.at(0).at(0).toBool(), false);
    QCOMPARE(tab_->shownReport().total(), controller->result().testClips);
    QVERIFY2(tab_->statusText().startsWith(QStringLiteral("Cancelled")), qPrintable(tab_->statusText()));
    QCOMPARE(tab_->confusionView()->counts(), toQt(tab_->evaluationController()->report().confusion));
    QVERIFY(tab_->useModelButton()->isEnabled());
    QVERIFY(tab_->startButton()->isEnabled());
    QVERIFY(!tab_->cancelButton()->isEnabled());

    // The kept model is usable: it classifies a clip.
    const auto probabilities = controller->classifier()->classifyFile(tab_->dataset()->clips.front().path);
    QCOMPARE(int(probabilities.size()), kEmotions);
}

void TestTrainTab::changingTheDatasetClearsTheResults()
{
    // Issue 9: results and curves are about the dataset they came from. The trained model stays usable, by name.
    QVERIFY(tab_->shownReport().total() > 0);
    QVERIFY(tab_->curves()->trainLoss()->count() > 0);
    QVERIFY(tab_->useModelButton()->toolTip().contains(QStringLiteral("best epoch")));
    QSignalSpy scanned(tab_->scanner(), &TrainingDatasetScanner::scanned);
    tab_->setupPanel()->chooseFolder(data_.path());
    QCOMPARE(tab_->shownReport().total(), 0);
    QVERIFY(tab_->confusionView()->counts().isEmpty());
    QCOMPARE(tab_->curves()->trainLoss()->count(), 0);
    QVERIFY(scanned.wait(30000));
    QVERIFY(tab_->useModelButton()->isEnabled());
}

void TestTrainTab::cleanupTestCase()
{
    tab_.reset();
    // Test mode points AppDataLocation at a test-only folder: leave no checkpoints behind.
    const QString appData = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (QStandardPaths::isTestModeEnabled() && appData.contains(QStringLiteral(".qttest")))
        QDir(appData).removeRecursively();
}

QTEST_MAIN(TestTrainTab)
#include "test_train_tab.moc"
