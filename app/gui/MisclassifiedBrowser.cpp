// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/MisclassifiedBrowser.h"
#include "engine/Async.h"
#include "engine/SaliencyJob.h"
#include "gui/EmotionColors.h"
#include "gui/SaliencyHeat.h"
#include "gui/SpectrogramView.h"

#include <QCheckBox>
#include <QIcon>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace {
const QSize kThumbSize(MisclassifiedBrowser::kThumbnailWidth - 8, 48);

QTableWidgetItem* textItem(const QString& text, Qt::Alignment align = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(align);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

// A label cell as everywhere else: the name spelled out ("pleasant surprise") beside the emotion's colour.
QTableWidgetItem* labelItem(const std::vector<std::string>& labels, int index, int chipSide)
{
    if (index < 0 || index >= int(labels.size()))
        return textItem(QStringLiteral("?"));
    const QString label = QString::fromStdString(labels[std::size_t(index)]);
    auto* item = textItem(EmotionColors::displayName(label));
    // An icon, not a QColor: a colour decoration is drawn at the table's icon size, the thumbnails' 120x48.
    QPixmap chip(chipSide, chipSide);
    chip.fill(EmotionColors::color(label, index));
    item->setIcon(QIcon(chip));
    return item;
}
} // namespace

MisclassifiedBrowser::MisclassifiedBrowser(QWidget* parent)
    : QWidget(parent), title_(new QLabel(this)), openAll_(new QPushButton(tr("Open all in Analyze"), this)),
      table_(new QTableWidget(0, 6, this)), detailPanel_(new QWidget(this)), detailTitle_(new QLabel(detailPanel_)),
      explain_(new QCheckBox(tr("Explain"), detailPanel_)), detail_(new SpectrogramView(detailPanel_)),
      saliency_(new SaliencyJob(this))
{
    table_->setHorizontalHeaderLabels({tr("Spectrogram"), tr("File"), tr("True"), tr("Predicted"), tr("Confidence"), QString()});
    table_->setIconSize(kThumbSize);
    table_->verticalHeader()->setVisible(false);
    table_->verticalHeader()->setDefaultSectionSize(kThumbSize.height() + 6);
    // Names are never elided: the File column takes its longest name, the thumbnail a fixed width, and the
    // browser's minimum width (minimumSizeHint) keeps both in view; the other columns scroll sideways if they must.
    QHeaderView* columns = table_->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::ResizeToContents);
    columns->setSectionResizeMode(kThumbnailColumn, QHeaderView::Fixed);
    table_->setColumnWidth(kThumbnailColumn, kThumbnailWidth);
    columns->setStretchLastSection(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setTextElideMode(Qt::ElideMiddle); // only if a name is longer than the column could ever be
    title_->setWordWrap(true); // a long cell title ("True pleasant surprise, predicted …") must not widen the browser
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
    auto* detailHeader = new QHBoxLayout;
    detailHeader->addWidget(detailTitle_, 1);
    detailHeader->addWidget(explain_);
    detailTitle_->setWordWrap(true); // "<file> — highlighted: where the model found …" is wider than the browser
    explain_->setChecked(true);
    explain_->setToolTip(tr("Highlight where in the clip the model found the label it predicted (Grad-CAM)"));
    auto* detailLayout = new QVBoxLayout(detailPanel_);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addLayout(detailHeader);
    detailLayout->addWidget(detail_, 1);
    detail_->setPlaceholderText(tr("Select a clip to see it here"));
    detail_->setMinimumHeight(120);
    detailPanel_->hide();
    connect(table_, &QTableWidget::currentCellChanged, this, [this](int row) { showDetail(row); });
    connect(explain_, &QCheckBox::toggled, this, [this](bool on) {
        detail_->setOverlayVisible(on);
        if (on && !detail_->hasOverlay())
            showDetail(table_->currentRow());
    });
    connect(saliency_, &SaliencyJob::finished, this, [this](const std::shared_ptr<const SaliencyResult>& r) {
        if (r->source != detailFile_)
            return;
        detail_->setSpectrogram(r->logMelDb, r->melCentresHz, r->map.hopSeconds, -80.0, 0.0);
        detail_->setOverlay(SaliencyHeat::image(r->map), r->map.startSeconds, r->map.hopSeconds);
        detail_->setOverlayVisible(explain_->isChecked());
        detailTitle_->setText(tr("%1 — highlighted: where the model found “%2”")
                                  .arg(QFileInfo(r->source).fileName(), r->className()));
    });
    connect(saliency_, &SaliencyJob::failed, this, [this](quint64, const QString& source, const QString& message) {
        if (source == detailFile_)
            detailTitle_->setText(tr("Could not explain: %1").arg(message));
    });

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(table_);
    split->addWidget(detailPanel_);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(split, 1);
    clear();
}

QSize MisclassifiedBrowser::minimumSizeHint() const
{
    // The thumbnail and a file name as long as a TESS or RAVDESS one ("YAF_thought_neutral.flac", 24 characters)
    // stay visible; a narrower browser would elide or scroll away the one thing that says which clip a row is.
    const QFontMetrics metrics = table_->fontMetrics();
    const int fileColumn = metrics.horizontalAdvance(QLatin1Char('M')) * 2 + metrics.averageCharWidth() * kNameChars;
    const int table = kThumbnailWidth + fileColumn + 2 * table_->frameWidth()
                      + style()->pixelMetric(QStyle::PM_ScrollBarExtent);
    QSize hint = QWidget::minimumSizeHint();
    hint.setWidth(std::max(table, openAll_->sizeHint().width() + 60));
    return hint;
}

void MisclassifiedBrowser::setExplainModel(std::shared_ptr<const emoscope::Classifier> model)
{
    model_ = std::move(model);
    saliency_->cancel();
    detail_->clear();
    detailFile_.clear();
}

// The clip is decoded and explained on the SaliencyJob's worker; the view fills when it is done.
void MisclassifiedBrowser::showDetail(int row)
{
    if (row < 0 || row >= files_.size()) {
        detailPanel_->hide();
        return;
    }
    detailPanel_->show();
    const QString file = files_[row];
    if (file == detailFile_ && detail_->hasOverlay())
        return;
    detailFile_ = file;
    detail_->clear();
    if (!model_) {
        detailTitle_->setText(tr("%1 — no model to explain it with").arg(QFileInfo(file).fileName()));
        return;
    }
    detailTitle_->setText(tr("%1 — explaining…").arg(QFileInfo(file).fileName()));
    saliency_->explainFile(model_, file, predicted_[std::size_t(row)]);
}

void MisclassifiedBrowser::setColorMap(const ColorMap& map)
{
    colorMap_ = map;
    detail_->setColorMap(map);
    for (auto it = thumbnailDb_.cbegin(); it != thumbnailDb_.cend(); ++it)
        setThumbnail(it.key(), colorMap_.render(*it.value()));
}

void MisclassifiedBrowser::setThumbnail(const QString& file, const std::shared_ptr<const emoscope::MelMatrix>& db)
{
    if (!db)
        return;
    thumbnailDb_.insert(file, db);
    setThumbnail(file, colorMap_.render(*db));
}

void MisclassifiedBrowser::clear(const QString& hint)
{
    files_.clear();
    predicted_.clear();
    thumbnailDb_.clear();
    saliency_->cancel();
    detailFile_.clear();
    detail_->clear();
    detailPanel_->hide();
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
    clear();
    table_->setRowCount(int(clips.size()));
    const int chip = table_->fontMetrics().height() * 2 / 3;
    for (int row = 0; row < int(clips.size()); ++row) {
        const emoscope::ClipResult& clip = clips[row];
        const QString file = engine::fromCore(clip.file);
        files_ << file;
        predicted_.push_back(clip.predictedIndex);
        auto* thumb = textItem(QString());
        thumb->setToolTip(file);
        table_->setItem(row, kThumbnailColumn, thumb);
        auto* name = textItem(QFileInfo(file).fileName());
        name->setToolTip(file);
        table_->setItem(row, kFileColumn, name);
        table_->setItem(row, kTrueColumn, labelItem(labels, clip.trueIndex, chip));
        table_->setItem(row, kPredictedColumn, labelItem(labels, clip.predictedIndex, chip));
        const int p = clip.predictedIndex;
        const double confidence = p >= 0 && p < int(clip.probabilities.size()) ? clip.probabilities[p] : 0.0;
        table_->setItem(row, kConfidenceColumn, textItem(QString::number(100.0 * confidence, 'f', 1) + QStringLiteral(" %"),
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
