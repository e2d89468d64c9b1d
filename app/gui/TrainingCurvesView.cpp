// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/TrainingCurvesView.h"

#include "train/Trainer.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <tuple>

TrainingCurvesView::TrainingCurvesView(QWidget* parent)
    : QWidget(parent), trainLoss_(new QLineSeries(this)), validationLoss_(new QLineSeries(this)),
      trainAccuracy_(new QLineSeries(this)), validationAccuracy_(new QLineSeries(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (auto [title, train, validation, x, y] :
         {std::tuple{tr("Loss per epoch"), trainLoss_, validationLoss_, &lossX_, &lossY_},
          std::tuple{tr("Accuracy per epoch (%)"), trainAccuracy_, validationAccuracy_, &accuracyX_, &accuracyY_}}) {
        auto* view = new QChartView(makeChart(title, train, validation, *x, *y), this);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(150);
        layout->addWidget(view);
    }
    accuracyY_->setRange(0, 100);
    accuracyY_->setTickType(QValueAxis::TicksDynamic);
    accuracyY_->setTickAnchor(0);
    accuracyY_->setTickInterval(25);
    accuracyY_->setLabelFormat(QStringLiteral("%d"));
    lossY_->setTickType(QValueAxis::TicksDynamic);
    lossY_->setTickAnchor(0);
    lossY_->setLabelFormat(QStringLiteral("%.1f"));
    reset(1);
}

QChart* TrainingCurvesView::makeChart(const QString& title, QLineSeries* train, QLineSeries* validation,
                                      QValueAxis*& xAxis, QValueAxis*& yAxis)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setMargins(QMargins(4, 4, 4, 4));
    // Legend on top and the unit in the title: the legend never competes with the plot for width, and no axis
    // title is left to be elided to "…".
    chart->legend()->setAlignment(Qt::AlignTop);
    train->setName(tr("train"));
    validation->setName(tr("validation"));
    train->setPointsVisible(true);
    validation->setPointsVisible(true);
    chart->addSeries(train);
    chart->addSeries(validation);
    xAxis = new QValueAxis(chart);
    xAxis->setLabelFormat(QStringLiteral("%d"));
    yAxis = new QValueAxis(chart);
    // Short tick labels ("1", "20", "0.5"): never let Qt Charts elide them to "…" in a small chart.
    xAxis->setTruncateLabels(false);
    yAxis->setTruncateLabels(false);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (QLineSeries* s : {train, validation}) {
        s->attachAxis(xAxis);
        s->attachAxis(yAxis);
    }
    return chart;
}

void TrainingCurvesView::reset(int epochs)
{
    for (QLineSeries* s : {trainLoss_, validationLoss_, trainAccuracy_, validationAccuracy_})
        s->clear();
    maxLoss_ = 0;
    const int last = std::max(2, epochs);
    for (QValueAxis* x : {lossX_, accuracyX_}) {
        x->setRange(1, last);
        x->setTickCount(std::min(last, 11));
    }
    lossY_->setRange(0, 2);
    lossY_->setTickInterval(0.5);
}

void TrainingCurvesView::addEpoch(const emoscope::EpochReport& r)
{
    trainLoss_->append(r.epoch, r.trainLoss);
    validationLoss_->append(r.epoch, r.validationLoss);
    trainAccuracy_->append(r.epoch, 100.0 * r.trainAccuracy);
    validationAccuracy_->append(r.epoch, 100.0 * r.validationAccuracy);
    maxLoss_ = std::max({maxLoss_, r.trainLoss, r.validationLoss});
    // Ticks on round steps (0.5, 1.0, ...) rather than range / 4 (0.54, 1.08, ...).
    const double step = maxLoss_ <= 0.5 ? 0.1 : maxLoss_ <= 3.0 ? 0.5 : 1.0;
    lossY_->setTickInterval(step);
    lossY_->setRange(0, std::ceil(maxLoss_ * 1.05 / step) * step);
    if (r.epoch > int(lossX_->max()))
        for (QValueAxis* x : {lossX_, accuracyX_})
            x->setMax(r.epoch);
}
