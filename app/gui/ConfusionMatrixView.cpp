// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/ConfusionMatrixView.h"
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

int ConfusionMatrixView::rowLabelWidth() const
{
    const QFontMetrics fm(font());
    int w = 0;
    for (const QString& l : labels_)
        w = std::max(w, fm.horizontalAdvance(l));
    return kTitle + w + 2 * kMargin;
}

int ConfusionMatrixView::columnLabelHeight() const
{
    return kTitle + QFontMetrics(font()).height() + kMargin;
}

QRect ConfusionMatrixView::gridRect() const
{
    const int n = int(labels_.size());
    if (n == 0)
        return {};
    const int left = rowLabelWidth(), top = columnLabelHeight();
    const int avail = std::min(width() - left - kMargin, height() - top - kMargin);
    const int cell = std::max(8, avail / n);
    return QRect(left, top, cell * n, cell * n);
}

QRect ConfusionMatrixView::cellRect(int trueIndex, int predictedIndex) const
{
    const int n = int(labels_.size());
    if (trueIndex < 0 || predictedIndex < 0 || trueIndex >= n || predictedIndex >= n)
        return {};
    const QRect g = gridRect();
    const int cell = g.width() / n;
    return QRect(g.left() + predictedIndex * cell, g.top() + trueIndex * cell, cell, cell);
}

QPair<int, int> ConfusionMatrixView::cellAt(const QPoint& pos) const
{
    const int n = int(labels_.size());
    const QRect g = gridRect();
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
    const int n = std::max<int>(1, int(labels_.size()));
    return QSize(rowLabelWidth() + n * 24 + kMargin, columnLabelHeight() + n * 24 + kMargin);
}

QSize ConfusionMatrixView::sizeHint() const
{
    const int n = std::max<int>(1, int(labels_.size()));
    return QSize(rowLabelWidth() + n * 44 + kMargin, columnLabelHeight() + n * 44 + kMargin);
}

void ConfusionMatrixView::setPlaceholderText(const QString& text)
{
    placeholder_ = text;
    update();
}

void ConfusionMatrixView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const int n = int(labels_.size());
    if (n == 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
        return;
    }
    const QRect g = gridRect();
    const QFontMetrics fm(font());
    p.setPen(palette().color(QPalette::Text));

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

    for (int i = 0; i < n; ++i) {
        const QRect col = cellRect(0, i);
        // Narrow columns get the label's first three letters ("neu", "hap"): easier to read than "ne…".
        QString name = labels_[i];
        if (fm.horizontalAdvance(name) > col.width() - 2 && fm.horizontalAdvance(name.left(3)) <= col.width() - 2)
            name = name.left(3);
        p.drawText(QRect(col.left(), kTitle, col.width(), fm.height()), Qt::AlignCenter,
                   fm.elidedText(name, Qt::ElideRight, col.width()));
        const QRect row = cellRect(i, 0);
        p.drawText(QRect(kTitle, row.top(), g.left() - kTitle - kMargin, row.height()),
                   Qt::AlignRight | Qt::AlignVCenter, labels_[i]);
    }
    for (int r = 0; r < n; ++r) {
        for (int c = 0; c < n; ++c) {
            const QRect cell = cellRect(r, c);
            const double rate = rowRate(r, c);
            const QColor fill = rateColor(rate);
            p.fillRect(cell, fill);
            p.setPen(fill.lightnessF() < 0.55 ? Qt::white : Qt::black);
            p.drawText(cell, Qt::AlignCenter, QString::number(count(r, c)));
        }
    }
    p.setPen(QPen(palette().color(QPalette::Mid), 1));
    for (int i = 0; i <= n; ++i) {
        const int x = g.left() + i * (g.width() / n), y = g.top() + i * (g.height() / n);
        p.drawLine(x, g.top(), x, g.top() + g.height());
        p.drawLine(g.left(), y, g.left() + g.width(), y);
    }
    if (selected_.first >= 0) {
        p.setPen(QPen(palette().color(QPalette::Highlight), 3));
        p.drawRect(cellRect(selected_.first, selected_.second).adjusted(1, 1, -2, -2));
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
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        const int n = count(r, c);
        QToolTip::showText(help->globalPos(),
                           tr("True %1, predicted %2: %3, %4 % of %1")
                               .arg(labels_[r], labels_[c], traintext::clips(n),
                                    QString::number(100.0 * rowRate(r, c), 'f', 1)),
                           this, cellRect(r, c));
        return true;
    }
    return QWidget::event(event);
}
