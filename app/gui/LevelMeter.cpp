// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/LevelMeter.h"

#include <QPainter>
#include <algorithm>
#include <cmath>

LevelMeter::LevelMeter(QWidget* parent) : QWidget(parent)
{
    setMinimumHeight(14);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void LevelMeter::setLevel(double peak)
{
    level_ = std::clamp(peak, 0.0, 1.0);
    hold_ = std::max(level_, hold_ * 0.95); // decays over about a second at 30 updates/s
    update();
}

namespace {
double fraction(double linear)
{
    const double db = 20.0 * std::log10(std::max(linear, 1e-6));
    return std::clamp((db + 60.0) / 60.0, 0.0, 1.0);
}
} // namespace

void LevelMeter::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QRect r = rect().adjusted(0, 0, -1, -1);
    p.fillRect(r, QColor(30, 30, 36));
    const int w = int(fraction(level_) * r.width());
    QLinearGradient g(r.topLeft(), r.topRight());
    g.setColorAt(0.0, QColor(40, 180, 80));
    g.setColorAt(0.75, QColor(230, 210, 40)); // -15 dBFS
    g.setColorAt(1.0, QColor(230, 50, 40));
    p.fillRect(QRect(r.left(), r.top(), w, r.height()), g);
    const int hx = r.left() + int(fraction(hold_) * r.width());
    p.setPen(Qt::white);
    p.drawLine(hx, r.top(), hx, r.bottom());
    p.setPen(QColor(90, 90, 100));
    p.drawRect(r);
}
