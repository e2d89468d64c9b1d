// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/MisclassifiedBrowser.h"
#include "engine/Async.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace {
const QSize kThumbSize(120, 48);

QTableWidgetItem* textItem(const QString& text, Qt::Alignment align = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(align);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

QString labelName(const std::vector<std::string>& labels, int index)
{
    return index >= 0 && index < int(labels.size()) ? QString::fromStdString(labels[index]) : QStringLiteral("?");
}
} // namespace

MisclassifiedBrowser::MisclassifiedBrowser(QWidget* parent)
    : QWidget(parent), title_(new QLabel(this)), openAll_(new QPushButton(tr("Open all in Analyze"), this)),
      table_(new QTableWidget(0, 6, this))
{
    table_->setHorizontalHeaderLabels({tr("Spectrogram"), tr("File"), tr("True"), tr("Predicted"), tr("Confidence"), QString()});
    table_->setIconSize(kThumbSize);
    table_->verticalHeader()->setVisible(false);
    table_->verticalHeader()->setDefaultSectionSize(kThumbSize.height() + 6);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    table_->setColumnWidth(kThumbnailColumn, kThumbSize.width() + 8);
    table_->horizontalHeader()->setSectionResizeMode(kThumbnailColumn, QHeaderView::Fixed);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setTextElideMode(Qt::ElideMiddle); // the word and the emotion are at the two ends of a TESS name
    table_->setAccessibleName(tr("Clips of the selected cell"));
    connect(table_, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (row >= 0 && row < files_.size())
            Q_EMIT playRequested(files_[row]);
    });
    connect(openAll_, &QPushButton::clicked, this, [this] {
        if (!files_.isEmpty())
            Q_EMIT openInAnalyzeRequested(files_);
    });

    auto* header = new QHBoxLayout;
    header->addWidget(title_, 1);
    header->addWidget(openAll_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(table_, 1);
    clear();
}

void MisclassifiedBrowser::clear(const QString& hint)
{
    files_.clear();
    table_->setRowCount(0);
    title_->setText(hint.isEmpty() ? tr("Click a cell of the confusion matrix to list its clips") : hint);
    openAll_->setEnabled(false);
}

QString MisclassifiedBrowser::title() const
{
    return title_->text();
}

void MisclassifiedBrowser::setClips(const QString& title, const std::vector<emoscope::ClipResult>& clips,
                                    const std::vector<std::string>& labels)
{
    files_.clear();
    table_->setRowCount(int(clips.size()));
    for (int row = 0; row < int(clips.size()); ++row) {
        const emoscope::ClipResult& clip = clips[row];
        const QString file = engine::fromCore(clip.file);
        files_ << file;
        auto* thumb = textItem(QString());
        thumb->setToolTip(file);
        table_->setItem(row, kThumbnailColumn, thumb);
        auto* name = textItem(QFileInfo(file).fileName());
        name->setToolTip(file);
        table_->setItem(row, 1, name);
        table_->setItem(row, 2, textItem(labelName(labels, clip.trueIndex)));
        table_->setItem(row, 3, textItem(labelName(labels, clip.predictedIndex)));
        const int p = clip.predictedIndex;
        const double confidence = p >= 0 && p < int(clip.probabilities.size()) ? clip.probabilities[p] : 0.0;
        table_->setItem(row, 4, textItem(QString::number(100.0 * confidence, 'f', 1) + QStringLiteral(" %"),
                                         Qt::AlignRight | Qt::AlignVCenter));
        table_->setCellWidget(row, kActionsColumn, makeActions(file));
    }
    title_->setText(title);
    openAll_->setEnabled(!files_.isEmpty());
    if (!files_.isEmpty())
        Q_EMIT thumbnailsWanted(files_);
}

QWidget* MisclassifiedBrowser::makeActions(const QString& file)
{
    auto* box = new QWidget(table_);
    auto* play = new QToolButton(box);
    play->setObjectName(QStringLiteral("play"));
    play->setText(file == playing_ ? tr("Stop") : tr("Play"));
    play->setToolTip(tr("Play %1").arg(QFileInfo(file).fileName()));
    auto* analyze = new QToolButton(box);
    analyze->setObjectName(QStringLiteral("analyze"));
    analyze->setText(tr("Analyze"));
    analyze->setToolTip(tr("Open %1 in the Analyze tab").arg(QFileInfo(file).fileName()));
    connect(play, &QToolButton::clicked, this, [this, file] { Q_EMIT playRequested(file); });
    connect(analyze, &QToolButton::clicked, this, [this, file] { Q_EMIT openInAnalyzeRequested({file}); });
    auto* layout = new QHBoxLayout(box);
    layout->setContentsMargins(2, 0, 2, 0);
    layout->addWidget(play);
    layout->addWidget(analyze);
    return box;
}

void MisclassifiedBrowser::setThumbnail(const QString& file, const QImage& image)
{
    const int row = int(files_.indexOf(file));
    if (row < 0 || image.isNull())
        return;
    if (QTableWidgetItem* item = table_->item(row, kThumbnailColumn))
        item->setData(Qt::DecorationRole, QPixmap::fromImage(image.scaled(kThumbSize, Qt::IgnoreAspectRatio)));
}

bool MisclassifiedBrowser::hasThumbnail(const QString& file) const
{
    const int row = int(files_.indexOf(file));
    const QTableWidgetItem* item = row >= 0 ? table_->item(row, kThumbnailColumn) : nullptr;
    return item && !item->data(Qt::DecorationRole).value<QPixmap>().isNull();
}

void MisclassifiedBrowser::setPlayingFile(const QString& file)
{
    playing_ = file;
    for (int row = 0; row < files_.size(); ++row)
        if (QWidget* box = table_->cellWidget(row, kActionsColumn))
            if (auto* play = box->findChild<QToolButton*>(QStringLiteral("play")))
                play->setText(files_[row] == file ? tr("Stop") : tr("Play"));
}
