// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/EmotionBarsView.h"

#include "gui/EmotionColors.h"

#include <QFontMetrics>
#include <QPainter>
#include <algorithm>

namespace {
constexpr int kPad = 6;
QString percent(double fraction) { return QString::number(100.0 * fraction, 'f', 0) + QStringLiteral(" %"); }
} // namespace

EmotionBarsView::EmotionBarsView(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAccessibleName(tr("Emotion probabilities"));
}

void EmotionBarsView::setProbabilities(const QStringList& labels, const std::vector<float>& probabilities)
{
    labels_ = labels;
    probabilities_ = probabilities;
    updateGeometry();
    update();
}

void EmotionBarsView::clear()
{
    probabilities_.assign(probabilities_.size(), 0.0f);
    update();
}

int EmotionBarsView::nameWidth() const
{
    const QFontMetrics fm(font());
    int w = 0;
    for (const QString& l : labels_)
        w = std::max(w, fm.horizontalAdvance(EmotionColors::displayName(l)));
    return w;
}

int EmotionBarsView::valueWidth() const
{
    return QFontMetrics(font()).horizontalAdvance(percent(1.0));
}

QRect EmotionBarsView::barTrack(int index) const
{
    const int n = int(labels_.size());
    if (index < 0 || index >= n)
        return {};
    const QFontMetrics fm(font());
    const int axis = fm.height() + kPad; // the % scale along the bottom
    const int rowHeight = std::max(1, (height() - kPad - axis) / n);
    const int left = kPad + nameWidth() + kPad;
    const int right = width() - kPad - valueWidth() - kPad;
    const int barHeight = std::max(2, rowHeight * 7 / 10);
    return QRect(left, kPad + index * rowHeight + (rowHeight - barHeight) / 2, std::max(1, right - left), barHeight);
}

QSize EmotionBarsView::sizeHint() const
{
    return QSize(320, 240);
}

QSize EmotionBarsView::minimumSizeHint() const
{
    const QFontMetrics fm(font());
    const int n = std::max<int>(1, int(labels_.size()));
    return QSize(kPad * 4 + nameWidth() + valueWidth() + 60, kPad * 2 + fm.height() + n * std::max(12, fm.height() * 3 / 4));
}

void EmotionBarsView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const int n = int(labels_.size());
    if (n == 0)
        return;
    const QFontMetrics fm(font());
    const QRect first = barTrack(0), last = barTrack(n - 1);
    // Grid and scale in %, every 25 %.
    const int axisTop = last.bottom() + kPad / 2;
    for (int step = 0; step <= 4; ++step) {
        const int x = first.left() + first.width() * step / 4;
        p.setPen(palette().color(QPalette::Midlight));
        p.drawLine(x, first.top(), x, axisTop);
        p.setPen(palette().color(QPalette::Text));
        const QString text = percent(step / 4.0);
        const int w = fm.horizontalAdvance(text);
        p.drawText(QRect(x - w / 2 - 1, axisTop, w + 2, fm.height()), Qt::AlignCenter, text);
    }
    for (int i = 0; i < n; ++i) {
        const QRect track = barTrack(i);
        const double value = i < int(probabilities_.size()) ? std::clamp(double(probabilities_[std::size_t(i)]), 0.0, 1.0) : 0.0;
        const QRect bar(track.left(), track.top(), int(track.width() * value + 0.5), track.height());
        p.fillRect(bar, EmotionColors::color(labels_[i], i));
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(kPad, track.top() - fm.height(), track.left() - 2 * kPad, track.height() + 2 * fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, EmotionColors::displayName(labels_[i]));
        p.drawText(QRect(bar.right() + kPad, track.top() - fm.height(), valueWidth() + kPad, track.height() + 2 * fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, percent(value));
    }
}
