// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "gui/ColorMap.h"

#include <QWidget>

// The dB scale of a spectrogram: the colour map as a vertical bar, loudest at the top, with dB ticks beside it.
class ColorLegend : public QWidget {
    Q_OBJECT
public:
    explicit ColorLegend(QWidget* parent = nullptr);

    void setColorMap(const ColorMap& map);
    void setRange(double floorDb, double ceilDb);
    const ColorMap& colorMap() const { return map_; }
    double floorDb() const { return floorDb_; }
    double ceilDb() const { return ceilDb_; }
    // The tick values drawn, top (ceil) to bottom (floor), every 20 dB.
    QList<double> ticks() const;
    // Where the bar is drawn, in widget coordinates (the tick at v sits at the bar's height for v).
    QRect barRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int labelWidth() const;

    ColorMap map_;
    double floorDb_ = -80.0;
    double ceilDb_ = 0.0;
};
