// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/EmotionBarsView.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QValueAxis>

EmotionBarsView::EmotionBarsView(QWidget* parent)
    : QChartView(parent), series_(new QHorizontalBarSeries), set_(new QBarSet(tr("probability"))),
      categories_(new QBarCategoryAxis), values_(new QValueAxis)
{
    auto* chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->setBackgroundRoundness(0);
    set_->setColor(QColor(235, 120, 60));
    set_->setBorderColor(QColor(235, 120, 60));
    series_->append(set_);
    series_->setBarWidth(0.7);
    series_->setLabelsVisible(true);
    series_->setLabelsFormat(QStringLiteral("@value"));
    series_->setLabelsPrecision(2);
    // Outside the bar end, so small probabilities stay readable instead of being clipped by a short bar.
    series_->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    set_->setLabelColor(QColor(40, 40, 40));
    chart->addSeries(series_);
    values_->setRange(0.0, 1.0);
    values_->setLabelFormat(QStringLiteral("%.1f"));
    values_->setTickCount(6);
    chart->addAxis(values_, Qt::AlignBottom);
    categories_->setTruncateLabels(false); // emotion names are short; never show "..."
    chart->addAxis(categories_, Qt::AlignLeft);
    series_->attachAxis(values_);
    series_->attachAxis(categories_);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setAcceptDrops(false); // let file drops reach the main window
    viewport()->setAcceptDrops(false);
    setMinimumSize(220, 160);
}

void EmotionBarsView::setProbabilities(const QStringList& labels, const std::vector<float>& probabilities)
{
    if (labels != labels_ || set_->count() != int(probabilities.size())) {
        // Bottom-to-top is how a horizontal bar chart stacks categories: reverse so the first label is on top.
        QStringList reversed(labels.rbegin(), labels.rend());
        categories_->clear();
        categories_->append(reversed);
        set_->remove(0, set_->count());
        for (int i = int(probabilities.size()) - 1; i >= 0; --i)
            set_->append(double(probabilities[std::size_t(i)]));
    } else {
        const int n = int(probabilities.size());
        for (int i = 0; i < n; ++i)
            set_->replace(n - 1 - i, double(probabilities[std::size_t(i)]));
    }
    labels_ = labels;
    probabilities_ = probabilities;
}

void EmotionBarsView::clear()
{
    for (int i = 0; i < set_->count(); ++i)
        set_->replace(i, 0.0);
    probabilities_.assign(probabilities_.size(), 0.0f);
}
