// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QPainter>
#include <QRect>
#include <algorithm>

// The selection looks the same in every Analyze view: a veil between two edge lines, clipped to the plot. Dark plots
// (waveform, spectrogram) get a light veil, the white chart a blue one.
namespace SelectionPainter {
inline void paint(QPainter& p, const QRect& plot, int x0, int x1, bool darkPlot = true)
{
    const int left = std::max(std::min(x0, x1), plot.left());
    const int right = std::min(std::max(x0, x1), plot.right());
    if (right < left)
        return; // entirely outside the visible range
    p.save();
    p.fillRect(QRect(QPoint(left, plot.top()), QPoint(right, plot.bottom())), darkPlot ? QColor(255, 255, 255, 60) : QColor(40, 110, 220, 45));
    p.setPen(QPen(darkPlot ? QColor(255, 220, 90) : QColor(200, 140, 0), 1));
    if (x0 >= plot.left() && x0 <= plot.right())
        p.drawLine(x0, plot.top(), x0, plot.bottom());
    if (x1 >= plot.left() && x1 <= plot.right())
        p.drawLine(x1, plot.top(), x1, plot.bottom());
    p.restore();
}
} // namespace SelectionPainter
