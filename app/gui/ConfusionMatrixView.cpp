// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/ConfusionMatrixView.h"
#include "gui/EmotionColors.h"
#include "gui/TrainTextFormat.h"

#include <QFontMetrics>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

namespace {
constexpr int kMargin = 6;
constexpr int kTitle = 18; // room for the axis titles
constexpr int kMark = 10;  // the emotion's colour square beside its name
constexpr int kGap = 4;
constexpr int kMinCell = 22; // room for a two-digit count

// White for 0 %, deep blue for 100 %: a single-hue ramp reads as "more" without a legend.
QColor rateColor(double rate)
{
    const QColor low(247, 251, 255), high(8, 48, 107);
    const double t = std::clamp(rate, 0.0, 1.0);
    return QColor::fromRgbF(float(low.redF() + t * (high.redF() - low.redF())),
                            float(low.greenF() + t * (high.greenF() - low.greenF())),
                            float(low.blueF() + t * (high.blueF() - low.blueF())));
}
} // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAccessibleName(tr("Confusion matrix"));
}

void ConfusionMatrixView::setMatrix(const QStringList& labels, const QVector<QVector<int>>& counts)
{
    labels_ = labels;
    const int n = int(labels.size());
    counts_ = QVector<QVector<int>>(n, QVector<int>(n, 0));
    for (int r = 0; r < n && r < counts.size(); ++r)
        for (int c = 0; c < n && c < counts[r].size(); ++c)
            counts_[r][c] = counts[r][c];
    selected_ = {-1, -1};
    updateGeometry();
    update();
}

void ConfusionMatrixView::clear()
{
    setMatrix({}, {});
}

int ConfusionMatrixView::count(int trueIndex, int predictedIndex) const
{
    if (trueIndex < 0 || predictedIndex < 0 || trueIndex >= counts_.size() || predictedIndex >= counts_.size())
        return 0;
    return counts_[trueIndex][predictedIndex];
}

double ConfusionMatrixView::rowRate(int trueIndex, int predictedIndex) const
{
    if (trueIndex < 0 || trueIndex >= counts_.size())
        return 0.0;
    int rowTotal = 0;
    for (int v : counts_[trueIndex])
        rowTotal += v;
    return rowTotal > 0 ? double(count(trueIndex, predictedIndex)) / rowTotal : 0.0;
}

int ConfusionMatrixView::longestName() const
{
    const QFontMetrics fm(font());
    int w = 0;
    for (const QString& l : labels_)
        w = std::max(w, fm.horizontalAdvance(EmotionColors::displayName(l)));
    return w;
}

int ConfusionMatrixView::rowLabelWidth() const
{
    return kTitle + kMark + kGap + longestName() + 2 * kMargin;
}

int ConfusionMatrixView::columnLabelHeight(bool vertical) const
{
    const int along = vertical ? kMark + kGap + longestName() : std::max(kMark, QFontMetrics(font()).height());
    return kTitle + along + kMargin;
}

ConfusionMatrixView::Layout ConfusionMatrixView::layoutFor(const QSize& size) const
{
    const int n = int(labels_.size());
    if (n == 0)
        return {};
    const int left = rowLabelWidth();
    auto cellFor = [&](int top) {
        return std::max(8, std::min(size.width() - left - kMargin, size.height() - top - kMargin) / n);
    };
    Layout layout;
    int top = columnLabelHeight(false);
    int cell = cellFor(top);
    // A name wider than its column would be cut: stand the column labels up instead.
    if (kMark + kGap + longestName() > cell - 2) {
        layout.verticalColumns = true;
        top = columnLabelHeight(true);
        cell = cellFor(top);
    }
    layout.grid = QRect(left, top, cell * n, cell * n);
    return layout;
}

QRect ConfusionMatrixView::cellRectIn(const Layout& layout, int trueIndex, int predictedIndex) const
{
    const int n = int(labels_.size());
    if (trueIndex < 0 || predictedIndex < 0 || trueIndex >= n || predictedIndex >= n)
        return {};
    const QRect g = layout.grid;
    const int cell = g.width() / n;
    return QRect(g.left() + predictedIndex * cell, g.top() + trueIndex * cell, cell, cell);
}

QRect ConfusionMatrixView::labelRectIn(const Layout& layout, Qt::Orientation axis, int index) const
{
    if (axis == Qt::Horizontal) {
        const QRect col = cellRectIn(layout, 0, index);
        return col.isEmpty() ? QRect() : QRect(col.left(), kTitle, col.width(), layout.grid.top() - kTitle - 2);
    }
    const QRect row = cellRectIn(layout, index, 0);
    return row.isEmpty() ? QRect() : QRect(kTitle, row.top(), layout.grid.left() - kTitle - kMargin, row.height());
}

QRect ConfusionMatrixView::cellRect(int trueIndex, int predictedIndex) const
{
    return cellRectIn(layoutFor(size()), trueIndex, predictedIndex);
}

QRect ConfusionMatrixView::labelRect(Qt::Orientation axis, int index) const
{
    return labelRectIn(layoutFor(size()), axis, index);
}

bool ConfusionMatrixView::columnLabelsVertical() const
{
    return layoutFor(size()).verticalColumns;
}

QPair<int, int> ConfusionMatrixView::cellAt(const QPoint& pos) const
{
    const int n = int(labels_.size());
    const QRect g = layoutFor(size()).grid;
    if (n == 0 || !g.contains(pos))
        return {-1, -1};
    const int cell = g.width() / n;
    const int r = (pos.y() - g.top()) / cell, c = (pos.x() - g.left()) / cell;
    if (r >= n || c >= n)
        return {-1, -1};
    return {r, c};
}

void ConfusionMatrixView::setSelectedCell(int trueIndex, int predictedIndex)
{
    selected_ = {trueIndex, predictedIndex};
    update();
}

QSize ConfusionMatrixView::minimumSizeHint() const
{
    // Small cells need the vertical column labels: reserve their height.
    const int n = std::max<int>(1, int(labels_.size()));
    return QSize(rowLabelWidth() + n * kMinCell + kMargin, columnLabelHeight(true) + n * kMinCell + kMargin);
}

QSize ConfusionMatrixView::sizeHint() const
{
    const int n = std::max<int>(1, int(labels_.size()));
    const int cell = std::max(44, kMark + kGap + longestName() + 4);
    return QSize(rowLabelWidth() + n * cell + kMargin, columnLabelHeight(false) + n * cell + kMargin);
}

QImage ConfusionMatrixView::renderImage(const QSize& size) const
{
    QImage image(size, QImage::Format_RGB32);
    image.setDevicePixelRatio(1.0);
    QPalette light = palette();
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::Text, Qt::black);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setFont(font());
    paintMatrix(p, size, light);
    return image;
}

void ConfusionMatrixView::setPlaceholderText(const QString& text)
{
    placeholder_ = text;
    update();
}

void ConfusionMatrixView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paintMatrix(p, size(), palette());
}

void ConfusionMatrixView::paintMatrix(QPainter& p, const QSize& size, const QPalette& palette) const
{
    const QRect area(QPoint(0, 0), size);
    p.fillRect(area, palette.base());
    const int n = int(labels_.size());
    if (n == 0) {
        p.setPen(palette.color(QPalette::PlaceholderText));
        p.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
        return;
    }
    const Layout layout = layoutFor(size);
    const QRect g = layout.grid;
    p.setPen(palette.color(QPalette::Text));

    // Axis titles: predicted across the top, true down the left side.
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRect(g.left(), 0, g.width(), kTitle), Qt::AlignCenter, tr("Predicted"));
    p.save();
    p.translate(0, g.center().y());
    p.rotate(-90);
    p.drawText(QRect(-g.height() / 2, 0, g.height(), kTitle), Qt::AlignCenter, tr("True"));
    p.restore();
    p.setFont(font());

    const QFontMetrics fm(font());
    for (int i = 0; i < n; ++i) {
        const QString name = EmotionColors::displayName(labels_[i]);
        const QColor mark = EmotionColors::color(labels_[i], i);
        const int text = fm.horizontalAdvance(name);
        // Columns: the emotion's colour mark, then its name (read bottom to top when vertical).
        const QRect col = labelRectIn(layout, Qt::Horizontal, i);
        p.save();
        if (layout.verticalColumns) {
            p.translate(col.center().x(), col.bottom());
            p.rotate(-90);
        } else {
            p.translate(col.center().x() - (kMark + kGap + text) / 2, col.bottom() - fm.height() / 2);
        }
        p.fillRect(QRect(0, -kMark / 2, kMark, kMark), mark);
        p.drawText(QRect(kMark + kGap, -fm.height() / 2, text + 2, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, name);
        p.restore();
        // Rows: the name right-aligned, then the mark next to the grid.
        const QRect row = labelRectIn(layout, Qt::Vertical, i);
        p.fillRect(QRect(row.right() - kMark, row.center().y() - kMark / 2, kMark, kMark), mark);
        p.drawText(row.adjusted(0, 0, -(kMark + kGap), 0), Qt::AlignRight | Qt::AlignVCenter, name);
    }
    for (int r = 0; r < n; ++r) {
        for (int c = 0; c < n; ++c) {
            const QRect cell = cellRectIn(layout, r, c);
            const double rate = rowRate(r, c);
            const QColor fill = rateColor(rate);
            p.fillRect(cell, fill);
            p.setPen(fill.lightnessF() < 0.55 ? Qt::white : Qt::black);
            p.drawText(cell, Qt::AlignCenter, QString::number(count(r, c)));
        }
    }
    p.setPen(QPen(palette.color(QPalette::Mid), 1));
    for (int i = 0; i <= n; ++i) {
        const int x = g.left() + i * (g.width() / n), y = g.top() + i * (g.height() / n);
        p.drawLine(x, g.top(), x, g.top() + g.height());
        p.drawLine(g.left(), y, g.left() + g.width(), y);
    }
    if (selected_.first >= 0) {
        p.setPen(QPen(palette.color(QPalette::Highlight), 3));
        p.drawRect(cellRectIn(layout, selected_.first, selected_.second).adjusted(1, 1, -2, -2));
    }
}

void ConfusionMatrixView::mousePressEvent(QMouseEvent* event)
{
    const auto [r, c] = cellAt(event->position().toPoint());
    if (event->button() != Qt::LeftButton || r < 0) {
        QWidget::mousePressEvent(event);
        return;
    }
    setSelectedCell(r, c);
    Q_EMIT cellClicked(r, c);
}

bool ConfusionMatrixView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const auto [r, c] = cellAt(help->pos());
        if (r < 0) {
            // Over a label: its full name and the model's own label.
            for (int i = 0; i < labels_.size(); ++i)
                for (Qt::Orientation axis : {Qt::Horizontal, Qt::Vertical})
                    if (labelRect(axis, i).contains(help->pos())) {
                        QToolTip::showText(help->globalPos(),
                                           tr("%1 (label \"%2\")").arg(EmotionColors::displayName(labels_[i]), labels_[i]),
                                           this, labelRect(axis, i));
                        return true;
                    }
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        const int n = count(r, c);
        QToolTip::showText(help->globalPos(),
                           tr("True %1, predicted %2: %3, %4 % of %1")
                               .arg(EmotionColors::displayName(labels_[r]), EmotionColors::displayName(labels_[c]),
                                    traintext::clips(n),
                                    QString::number(100.0 * rowRate(r, c), 'f', 1)),
                           this, cellRect(r, c));
        return true;
    }
    return QWidget::event(event);
}
