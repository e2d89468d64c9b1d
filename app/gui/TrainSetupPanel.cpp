// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/TrainSetupPanel.h"
#include "gui/EmotionColors.h"
#include "gui/TrainTextFormat.h"
#include "engine/Async.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

TrainSetupPanel::TrainSetupPanel(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildDataGroup());
    layout->addWidget(buildSplitGroup());
    layout->addWidget(buildTrainingGroup());
    layout->addWidget(buildStartGroup());
    layout->addStretch(1);
    updateEnabled();
}

QWidget* TrainSetupPanel::buildDataGroup()
{
    auto* group = new QGroupBox(tr("Data"), this);
    folder_ = new QLineEdit(group);
    folder_->setPlaceholderText(tr("Dataset folder or CSV manifest"));
    browse_ = new QPushButton(tr("Browse…"), group);
    summary_ = new QLabel(tr("No dataset chosen"), group);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    skipped_ = new QPlainTextEdit(group);
    skipped_->setReadOnly(true);
    skipped_->setMaximumHeight(70);
    skipped_->setAccessibleName(tr("Skipped files"));
    skipped_->setVisible(false);

    connect(browse_, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Dataset folder"), folder_->text());
        if (!dir.isEmpty())
            chooseFolder(dir);
    });
    connect(folder_, &QLineEdit::editingFinished, this, [this] {
        if (!folder_->text().trimmed().isEmpty() && folder_->isModified()) {
            folder_->setModified(false);
            Q_EMIT folderChosen(folder_->text().trimmed());
        }
    });

    auto* row = new QHBoxLayout;
    row->addWidget(folder_, 1);
    row->addWidget(browse_);
    auto* layout = new QVBoxLayout(group);
    layout->addLayout(row);
    layout->addWidget(summary_);
    layout->addWidget(skipped_);
    return group;
}

QWidget* TrainSetupPanel::buildSplitGroup()
{
    auto* group = new QGroupBox(tr("Split"), this);
    split_ = new QComboBox(group);
    split_->addItem(tr("Fixed (split.csv)"), int(emoscope::SplitMode::Fixed));
    split_->addItem(tr("Random, stratified"), int(emoscope::SplitMode::Random));
    split_->addItem(tr("Speaker-independent"), int(emoscope::SplitMode::Speaker));
    split_->setCurrentIndex(1);
    // One meaning for both front ends (emoscope::resolveSplitSpec): the CLI's --split random does the same.
    split_->setItemData(1, tr("On data with a split.csv, random uses that fixed split"), Qt::ToolTipRole);
    testPercent_ = new QDoubleSpinBox(group);
    testPercent_->setRange(5, 50);
    testPercent_->setValue(15);
    testPercent_->setSuffix(QStringLiteral(" %"));
    speakers_ = new QListWidget(group);
    speakers_->setMaximumHeight(64);
    speakers_->setAccessibleName(tr("Test speakers"));
    speakers_->setToolTip(tr("Every clip of the checked speakers goes to the test part"));
    evaluateScope_ = new QComboBox(group);
    evaluateScope_->addItem(tr("every clip"));
    evaluateScope_->addItem(tr("test part only"));

    connect(split_, &QComboBox::currentIndexChanged, this, [this] { updateEnabled(); Q_EMIT changed(); });
    connect(speakers_, &QListWidget::itemChanged, this, [this] { Q_EMIT changed(); });

    splitForm_ = new QFormLayout(group);
    auto* form = splitForm_;
    form->addRow(tr("Mode"), split_);
    form->addRow(tr("Test part"), testPercent_);
    form->addRow(tr("Test speakers"), speakers_);
    form->addRow(tr("Evaluate on"), evaluateScope_);
    return group;
}

QWidget* TrainSetupPanel::buildTrainingGroup()
{
    auto* group = new QGroupBox(tr("Training"), this);
    epochs_ = new QSpinBox(group);
    epochs_->setRange(emoscope::TrainLimits::minEpochs, emoscope::TrainLimits::maxEpochs); // validate()'s limits
    epochs_->setValue(20);
    learningRate_ = new QDoubleSpinBox(group);
    learningRate_->setDecimals(6);
    learningRate_->setRange(emoscope::TrainLimits::minLearningRate, emoscope::TrainLimits::maxLearningRate);
    learningRate_->setSingleStep(5e-4);
    learningRate_->setValue(3e-3);
    learningRate_->setToolTip(tr("Peak learning rate of the one-cycle schedule"));
    batchSize_ = new QSpinBox(group);
    batchSize_->setRange(emoscope::TrainLimits::minBatchSize, emoscope::TrainLimits::maxBatchSize);
    batchSize_->setValue(32);
    specAugment_ = new QCheckBox(tr("SpecAugment (time and frequency masks)"), group);
    timeShift_ = new QCheckBox(tr("Time shift"), group);
    gain_ = new QCheckBox(tr("Gain"), group);
    noise_ = new QCheckBox(tr("Noise"), group);
    balanced_ = new QCheckBox(tr("Balanced sampling"), group);
    const emoscope::Augmentations defaults;
    specAugment_->setChecked(defaults.specAugment);
    timeShift_->setChecked(defaults.timeShift);
    gain_->setChecked(defaults.gain);
    noise_->setChecked(defaults.noise);

    auto* augment = new QGridLayout;
    augment->addWidget(specAugment_, 0, 0, 1, 2);
    augment->addWidget(timeShift_, 1, 0);
    augment->addWidget(gain_, 1, 1);
    augment->addWidget(noise_, 2, 0);
    augment->addWidget(balanced_, 2, 1);
    auto* form = new QFormLayout(group);
    form->addRow(tr("Epochs"), epochs_);
    form->addRow(tr("Learning rate"), learningRate_);
    form->addRow(tr("Batch size"), batchSize_);
    form->addRow(augment);
    return group;
}

QWidget* TrainSetupPanel::buildStartGroup()
{
    auto* group = new QGroupBox(tr("Start from"), this);
    startFrom_ = new QComboBox(group);
    startFrom_->addItem(tr("Current model"), int(StartFrom::CurrentModel));
    startFrom_->addItem(tr("Another model file"), int(StartFrom::ModelFile));
    startFrom_->addItem(tr("Scratch"), int(StartFrom::Scratch));
    modelFile_ = new QLineEdit(group);
    modelFile_->setPlaceholderText(tr("Model file (.pt)"));
    browseModel_ = new QPushButton(tr("Browse…"), group);
    connect(browseModel_, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Start from model"), modelFile_->text(),
                                                          tr("Emoscope models (*.pt);;All files (*)"));
        if (!file.isEmpty())
            setModelFile(file);
    });
    connect(startFrom_, &QComboBox::currentIndexChanged, this, [this] { updateEnabled(); Q_EMIT changed(); });

    auto* row = new QHBoxLayout;
    row->addWidget(modelFile_, 1);
    row->addWidget(browseModel_);
    auto* layout = new QVBoxLayout(group);
    layout->addWidget(startFrom_);
    layout->addLayout(row);
    return group;
}

void TrainSetupPanel::updateEnabled()
{
    const auto mode = splitMode();
    // Only the setting the chosen mode uses is shown.
    splitForm_->setRowVisible(testPercent_, mode == emoscope::SplitMode::Random);
    splitForm_->setRowVisible(speakers_, mode == emoscope::SplitMode::Speaker);
    const bool fromFile = startFrom() == StartFrom::ModelFile;
    modelFile_->setEnabled(fromFile);
    browseModel_->setEnabled(fromFile);
}

QString TrainSetupPanel::datasetFolder() const
{
    return folder_->text().trimmed();
}

void TrainSetupPanel::chooseFolder(const QString& folder)
{
    folder_->setText(folder);
    folder_->setModified(false);
    Q_EMIT folderChosen(folder);
}

void TrainSetupPanel::setScanning(const QString& folder)
{
    summary_->setText(tr("Scanning %1…").arg(folder));
    skipped_->clear();
    skipped_->setVisible(false);
}

void TrainSetupPanel::setScanFailed(const QString& message)
{
    summary_->setText(tr("<b>Cannot use this folder:</b> %1").arg(message.toHtmlEscaped()));
}

void TrainSetupPanel::setDataset(const emoscope::Dataset& dataset)
{
    auto joinCounts = [](const std::map<std::string, int>& counts, bool labels) {
        QStringList parts;
        for (const auto& [name, n] : counts) {
            const QString shown = QString::fromStdString(name.empty() ? "?" : name);
            parts << QStringLiteral("%1 %2").arg(labels ? EmotionColors::displayName(shown) : shown).arg(n);
        }
        return parts.join(QStringLiteral(", "));
    };
    QString text = tr("<b>%1</b>, layout %2")
                       .arg(traintext::clips(int(dataset.clips.size())),
                            QString::fromLatin1(emoscope::toString(dataset.layout)));
    if (dataset.hasFixedSplit())
        text += tr(", with split.csv");
    text += QStringLiteral("<br>") + tr("Per label: %1").arg(joinCounts(dataset.countsPerLabel(), true).toHtmlEscaped());
    const auto perSpeaker = dataset.countsPerSpeaker();
    if (!perSpeaker.empty())
        text += QStringLiteral("<br>") + tr("Per speaker: %1").arg(joinCounts(perSpeaker, false).toHtmlEscaped());
    if (!dataset.skipped.empty())
        text += QStringLiteral("<br>") + tr("%1 skipped:").arg(traintext::files(int(dataset.skipped.size())));
    summary_->setText(text);

    QStringList skippedLines;
    for (const emoscope::SkippedFile& s : dataset.skipped)
        skippedLines << QStringLiteral("%1: %2").arg(engine::fromCore(s.path), engine::fromCore(s.reason));
    skipped_->setPlainText(skippedLines.join(QLatin1Char('\n')));
    skipped_->setVisible(!skippedLines.isEmpty());

    // Speakers of the new data; keep checks on speakers that are still there.
    const QStringList previouslyChecked = checkedSpeakers();
    speakers_->clear();
    for (const std::string& s : dataset.speakers()) {
        auto* item = new QListWidgetItem(QString::fromStdString(s), speakers_);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(previouslyChecked.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
    }

    hasFixedSplit_ = dataset.hasFixedSplit();
    auto* model = qobject_cast<QStandardItemModel*>(split_->model());
    if (QStandardItem* fixed = model ? model->item(0) : nullptr)
        fixed->setEnabled(hasFixedSplit_);
    if (!hasFixedSplit_ && splitMode() == emoscope::SplitMode::Fixed)
        setSplitMode(emoscope::SplitMode::Random);
    if (hasFixedSplit_)
        setSplitMode(emoscope::SplitMode::Fixed);
    Q_EMIT changed();
}

QString TrainSetupPanel::summaryText() const
{
    return summary_->text();
}

QString TrainSetupPanel::skippedText() const
{
    return skipped_->toPlainText();
}

emoscope::SplitMode TrainSetupPanel::splitMode() const
{
    return emoscope::SplitMode(split_->currentData().toInt());
}

void TrainSetupPanel::setSplitMode(emoscope::SplitMode mode)
{
    split_->setCurrentIndex(split_->findData(int(mode)));
}

QStringList TrainSetupPanel::checkedSpeakers() const
{
    QStringList out;
    for (int i = 0; i < speakers_->count(); ++i)
        if (speakers_->item(i)->checkState() == Qt::Checked)
            out << speakers_->item(i)->text();
    return out;
}

void TrainSetupPanel::setCheckedSpeakers(const QStringList& speakers)
{
    for (int i = 0; i < speakers_->count(); ++i)
        speakers_->item(i)->setCheckState(speakers.contains(speakers_->item(i)->text()) ? Qt::Checked : Qt::Unchecked);
}

emoscope::SplitSpec TrainSetupPanel::splitSpec() const
{
    emoscope::SplitSpec spec;
    spec.mode = splitMode();
    spec.testFraction = testPercent_->value() / 100.0;
    for (const QString& s : checkedSpeakers())
        spec.testSpeakers.push_back(s.toStdString());
    return spec;
}

TrainSetupPanel::StartFrom TrainSetupPanel::startFrom() const
{
    return StartFrom(startFrom_->currentData().toInt());
}

void TrainSetupPanel::setStartFrom(StartFrom from)
{
    startFrom_->setCurrentIndex(startFrom_->findData(int(from)));
}

QString TrainSetupPanel::modelFile() const
{
    return modelFile_->text().trimmed();
}

void TrainSetupPanel::setModelFile(const QString& path)
{
    modelFile_->setText(path);
}

void TrainSetupPanel::setCurrentModelAvailable(bool available, const QString& path)
{
    currentModelPath_ = available ? path : QString();
    auto* model = qobject_cast<QStandardItemModel*>(startFrom_->model());
    if (QStandardItem* current = model ? model->item(0) : nullptr) {
        current->setEnabled(available);
        current->setToolTip(available ? path : tr("No model with a file is loaded"));
    }
    if (!available && startFrom() == StartFrom::CurrentModel)
        setStartFrom(StartFrom::Scratch);
}

TrainRequest TrainSetupPanel::request() const
{
    TrainRequest r;
    r.epochs = epochs_->value();
    r.batchSize = batchSize_->value();
    r.learningRate = learningRate_->value();
    r.augment.specAugment = specAugment_->isChecked();
    r.augment.timeShift = timeShift_->isChecked();
    r.augment.gain = gain_->isChecked();
    r.augment.noise = noise_->isChecked();
    r.balancedSampling = balanced_->isChecked();
    switch (startFrom()) {
    case StartFrom::CurrentModel: r.startModel = currentModelPath_; break;
    case StartFrom::ModelFile: r.startModel = modelFile(); break;
    case StartFrom::Scratch: r.startModel.reset(); break;
    }
    return r;
}

bool TrainSetupPanel::evaluateTestPartOnly() const
{
    return evaluateScope_->currentIndex() == 1;
}
