// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

// Horizontal input level meter in dBFS (-60..0) with a short peak hold.
class LevelMeter : public QWidget {
    Q_OBJECT
public:
    explicit LevelMeter(QWidget* parent = nullptr);
    void setLevel(double peak); // linear 0..1
    double level() const { return level_; }
    QSize sizeHint() const override { return {240, 18}; }

protected:
    void paintEvent(QPaintEvent*) override;

private:
    double level_ = 0;
    double hold_ = 0;
};
