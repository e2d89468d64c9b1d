// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "engine/TrainRequest.h"
#include "train/Dataset.h"
#include "train/Trainer.h"

#include <QWidget>
#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

// The Train tab's set-up form: dataset folder and its summary, split, epochs / learning rate / batch size,
// augmentations, and which model training starts from. Holds no computation: the tab scans the folder
// (folderChosen) and hands the result back through setDataset().
class TrainSetupPanel : public QWidget {
    Q_OBJECT
public:
    enum class StartFrom { CurrentModel, ModelFile, Scratch };

    explicit TrainSetupPanel(QWidget* parent = nullptr);

    QString datasetFolder() const;
    // Sets the folder field and emits folderChosen (what Browse… does).
    void chooseFolder(const QString& folder);
    void setScanning(const QString& folder);
    void setScanFailed(const QString& message);
    void setDataset(const emoscope::Dataset& dataset);

    emoscope::SplitMode splitMode() const;
    void setSplitMode(emoscope::SplitMode mode);
    // The split as chosen; Speaker mode uses the checked speakers.
    emoscope::SplitSpec splitSpec() const;
    QStringList checkedSpeakers() const;
    void setCheckedSpeakers(const QStringList& speakers);

    StartFrom startFrom() const;
    void setStartFrom(StartFrom from);
    QString modelFile() const;
    void setModelFile(const QString& path);
    // Whether "current model" can be offered (a model with a file is loaded).
    void setCurrentModelAvailable(bool available, const QString& path);

    // The user's choices (epochs, batch, learning rate, augmentations, balanced sampling, start model), for the
    // engine to turn into options (TrainingController::optionsFor).
    TrainRequest request() const;

    // Evaluate-only scope: every clip of the folder, or only the test part of the chosen split.
    bool evaluateTestPartOnly() const;

    QLineEdit* folderEdit() const { return folder_; }
    QSpinBox* epochsSpin() const { return epochs_; }
    QSpinBox* batchSizeSpin() const { return batchSize_; }
    QDoubleSpinBox* learningRateSpin() const { return learningRate_; }
    QDoubleSpinBox* testPercentSpin() const { return testPercent_; }
    QComboBox* splitCombo() const { return split_; }
    QComboBox* startFromCombo() const { return startFrom_; }
    QListWidget* speakerList() const { return speakers_; }
    QCheckBox* specAugmentBox() const { return specAugment_; }
    QCheckBox* timeShiftBox() const { return timeShift_; }
    QCheckBox* gainBox() const { return gain_; }
    QCheckBox* noiseBox() const { return noise_; }
    QCheckBox* balancedBox() const { return balanced_; }
    QString summaryText() const;
    QString skippedText() const;

Q_SIGNALS:
    void folderChosen(const QString& folder);
    void changed();

private:
    QWidget* buildDataGroup();
    QWidget* buildSplitGroup();
    QWidget* buildTrainingGroup();
    QWidget* buildStartGroup();
    void updateEnabled();

    QLineEdit* folder_;
    QPushButton* browse_;
    QLabel* summary_;
    QPlainTextEdit* skipped_;
    QFormLayout* splitForm_;
    QComboBox* split_;
    QDoubleSpinBox* testPercent_;
    QListWidget* speakers_;
    QSpinBox* epochs_;
    QDoubleSpinBox* learningRate_;
    QSpinBox* batchSize_;
    QCheckBox* specAugment_;
    QCheckBox* timeShift_;
    QCheckBox* gain_;
    QCheckBox* noise_;
    QCheckBox* balanced_;
    QComboBox* startFrom_;
    QLineEdit* modelFile_;
    QPushButton* browseModel_;
    QComboBox* evaluateScope_;
    QString currentModelPath_;
    bool hasFixedSplit_ = false;
};
