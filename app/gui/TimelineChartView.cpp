// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/TimelineChartView.h"

#include "gui/EmotionColors.h"

#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

TimelineChartView::TimelineChartView(QWidget* parent)
    : QChartView(parent), cursor_(new QLineSeries), time_(new QValueAxis), probability_(new QValueAxis)
{
    auto* chart = new QChart;
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignRight);
    time_->setTitleText(tr("time (s)"));
    time_->setLabelFormat(QStringLiteral("%.1f"));
    probability_->setRange(0.0, 1.0);
    probability_->setTickCount(3);
    probability_->setLabelFormat(QStringLiteral("%.1f"));
    chart->addAxis(time_, Qt::AlignBottom);
    chart->addAxis(probability_, Qt::AlignLeft);
    cursor_->setPen(QPen(QColor(60, 60, 60), 1, Qt::DashLine));
    chart->addSeries(cursor_);
    cursor_->attachAxis(time_);
    cursor_->attachAxis(probability_);
    chart->legend()->markers(cursor_).first()->setVisible(false);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setAcceptDrops(false); // let file drops reach the main window
    viewport()->setAcceptDrops(false);
    setMinimumSize(260, 160);
    setToolTip(tr("Click to play from that moment"));
}

void TimelineChartView::setTimeline(const QStringList& labels, const std::vector<emoscope::TimelineWindow>& windows,
                                    double durationSeconds)
{
    clear();
    for (int i = 0; i < labels.size(); ++i) {
        // Windows without speech get no point, and the line breaks there: one series per run of speech windows.
        // The first is the label's own series (legend, seriesCount); later runs share its pen, legend hidden.
        QLineSeries* line = nullptr;
        bool inRun = false;
        auto addLine = [&] {
            auto* l = new QLineSeries;
            l->setName(labels[i]);
            l->setPen(QPen(EmotionColors::color(labels[i], i), 2));
            chart()->addSeries(l);
            l->attachAxis(time_);
            l->attachAxis(probability_);
            if (!line) {
                lines_.push_back(l);
            } else {
                chart()->legend()->markers(l).first()->setVisible(false);
                segments_.push_back(l);
            }
            return l;
        };
        line = addLine();
        QLineSeries* current = line;
        for (const emoscope::TimelineWindow& w : windows) {
            if (w.status == emoscope::VerdictStatus::NoSpeech || i >= int(w.probabilities.size())) {
                inRun = false;
                continue;
            }
            if (!inRun && current->count() > 0)
                current = addLine();
            inRun = true;
            current->append((w.startSeconds + w.endSeconds) / 2.0, double(w.probabilities[std::size_t(i)]));
        }
    }
    time_->setRange(0.0, std::max(durationSeconds, 0.1));
    // Round tick values (0, 2, 4 … s) rather than the range split into equal, odd-valued parts.
    const double span = std::max(durationSeconds, 0.1);
    double step = 0.5;
    for (double s : {0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0})
        if (span / s <= 8) {
            step = s;
            break;
        }
    time_->setTickType(QValueAxis::TicksDynamic);
    time_->setTickAnchor(0.0);
    time_->setTickInterval(step);
    time_->setLabelFormat(step < 1.0 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
}

void TimelineChartView::clear()
{
    for (QLineSeries* line : lines_) {
        chart()->removeSeries(line);
        delete line;
    }
    lines_.clear();
    for (QLineSeries* line : segments_) {
        chart()->removeSeries(line);
        delete line;
    }
    segments_.clear();
    cursor_->clear();
    cursorAt_ = -1;
}

void TimelineChartView::setCursorSeconds(double seconds)
{
    if (lines_.empty() || std::abs(seconds - cursorAt_) < 0.02)
        return;
    cursorAt_ = seconds;
    cursor_->replace(QList<QPointF>{{seconds, 0.0}, {seconds, 1.0}});
}

double TimelineChartView::secondsAt(const QPoint& pos) const
{
    return chart()->mapToValue(mapToScene(pos), lines_.empty() ? nullptr : lines_.front()).x();
}

void TimelineChartView::mousePressEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    if (lines_.empty() || !chart()->plotArea().contains(mapToScene(pos))) {
        QChartView::mousePressEvent(event);
        return;
    }
    Q_EMIT seekRequested(std::clamp(secondsAt(pos), time_->min(), time_->max()));
}
