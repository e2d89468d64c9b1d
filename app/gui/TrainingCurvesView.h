// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

class QChart;
class QLineSeries;
class QValueAxis;

namespace emoscope {
struct EpochReport;
}

// Loss and accuracy per epoch, train and validation, as two line charts side by side.
class TrainingCurvesView : public QWidget {
    Q_OBJECT
public:
    explicit TrainingCurvesView(QWidget* parent = nullptr);

    // Clears the curves and sizes the epoch axis for a run of `epochs`.
    void reset(int epochs);
    void addEpoch(const emoscope::EpochReport& report);

    QLineSeries* trainLoss() const { return trainLoss_; }
    QLineSeries* validationLoss() const { return validationLoss_; }
    QLineSeries* trainAccuracy() const { return trainAccuracy_; }
    QLineSeries* validationAccuracy() const { return validationAccuracy_; }

private:
    QChart* makeChart(const QString& title, QLineSeries* train, QLineSeries* validation, QValueAxis*& xAxis,
                      QValueAxis*& yAxis);

    QLineSeries* trainLoss_;
    QLineSeries* validationLoss_;
    QLineSeries* trainAccuracy_;
    QLineSeries* validationAccuracy_;
    QValueAxis* lossX_ = nullptr;
    QValueAxis* lossY_ = nullptr;
    QValueAxis* accuracyX_ = nullptr;
    QValueAxis* accuracyY_ = nullptr;
    double maxLoss_ = 0;
};
