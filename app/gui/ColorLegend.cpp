// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/ColorLegend.h"

#include <QFontMetrics>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace {
constexpr int kBarWidth = 12;
constexpr int kTick = 3;
constexpr double kStepDb = 20.0;
} // namespace

ColorLegend::ColorLegend(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    setAccessibleName(tr("Colour scale in dB"));
    setToolTip(tr("Spectrogram colour scale: dB relative to the loudest point of the clip"));
}

void ColorLegend::setColorMap(const ColorMap& map)
{
    map_ = map;
    update();
}

void ColorLegend::setRange(double floorDb, double ceilDb)
{
    if (!(ceilDb > floorDb))
        return;
    floorDb_ = floorDb;
    ceilDb_ = ceilDb;
    updateGeometry();
    update();
}

QList<double> ColorLegend::ticks() const
{
    QList<double> out;
    for (double v = std::floor(ceilDb_ / kStepDb) * kStepDb; v >= floorDb_ - 1e-9; v -= kStepDb)
        out << v;
    return out;
}

int ColorLegend::labelWidth() const
{
    const QFontMetrics fm(font());
    int w = fm.horizontalAdvance(tr("dB"));
    for (double v : ticks())
        w = std::max(w, fm.horizontalAdvance(QString::number(v, 'f', 0)));
    return w;
}

QRect ColorLegend::barRect() const
{
    // Room above for the "dB" unit and half a line below for the lowest tick's label.
    const int line = QFontMetrics(font()).height();
    return QRect(2, line + line / 2, kBarWidth, std::max(10, height() - 2 * line - 2));
}

QSize ColorLegend::sizeHint() const
{
    return QSize(2 + kBarWidth + kTick + 2 + labelWidth() + 2, 160);
}

QSize ColorLegend::minimumSizeHint() const
{
    return QSize(sizeHint().width(), 3 * QFontMetrics(font()).height());
}

void ColorLegend::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QRect bar = barRect();
    for (int y = 0; y < bar.height(); ++y) {
        const double t = 1.0 - double(y) / std::max(1, bar.height() - 1); // top = ceil (loudest)
        p.setPen(QColor::fromRgb(map_.map(t)));
        p.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(bar.adjusted(0, 0, -1, -1));
    const QFontMetrics fm(font());
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(0, 0, width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter, tr("dB"));
    const int textLeft = bar.right() + 1 + kTick + 2;
    // Drop ticks whose labels would overlap (a short view shows fewer of them).
    int lastBottom = -1;
    for (double v : ticks()) {
        const int y = bar.top() + int(std::lround((ceilDb_ - v) / (ceilDb_ - floorDb_) * (bar.height() - 1)));
        const QRect text(textLeft, y - fm.height() / 2, width() - textLeft, fm.height());
        if (text.top() <= lastBottom)
            continue;
        p.drawLine(bar.right() + 1, y, bar.right() + kTick, y);
        p.drawText(text, Qt::AlignLeft | Qt::AlignVCenter, QString::number(v, 'f', 0));
        lastBottom = text.bottom();
    }
}
