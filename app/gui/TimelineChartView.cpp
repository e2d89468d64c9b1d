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

namespace {
// A long recording's timeline has thousands of windows (two hours: 14,400), far more than the chart has pixels, and
// every run of speech would become its own series. Bins of consecutive windows keep it to kMaxPoints: a bin's
// probabilities are its speech windows' mean, weighted by speech seconds; a bin without speech stays no_speech.
constexpr std::size_t kMaxPoints = 600;
std::vector<emoscope::TimelineWindow> binned(const std::vector<emoscope::TimelineWindow>& windows)
{
    if (windows.size() <= kMaxPoints)
        return windows;
    const std::size_t per = (windows.size() + kMaxPoints - 1) / kMaxPoints;
    std::vector<emoscope::TimelineWindow> out;
    for (std::size_t a = 0; a < windows.size(); a += per) {
        const std::size_t b = std::min(windows.size(), a + per);
        emoscope::TimelineWindow bin;
        bin.startSeconds = windows[a].startSeconds;
        bin.endSeconds = windows[b - 1].endSeconds;
        bin.status = emoscope::VerdictStatus::NoSpeech;
        bin.probabilities.assign(windows[a].probabilities.size(), 0.0f);
        double weight = 0;
        for (std::size_t i = a; i < b; ++i) {
            const auto& w = windows[i];
            if (w.status == emoscope::VerdictStatus::NoSpeech || w.probabilities.size() != bin.probabilities.size())
                continue;
            for (std::size_t k = 0; k < bin.probabilities.size(); ++k)
                bin.probabilities[k] += float(w.speechSeconds * w.probabilities[k]);
            weight += w.speechSeconds;
        }
        if (weight > 0) {
            for (float& p : bin.probabilities)
                p = float(p / weight);
            bin.status = emoscope::VerdictStatus::Ok;
        }
        out.push_back(std::move(bin));
    }
    return out;
}
} // namespace

void TimelineChartView::setTimeline(const QStringList& labels, const std::vector<emoscope::TimelineWindow>& allWindows,
                                    double durationSeconds)
{
    clear();
    const std::vector<emoscope::TimelineWindow> windows = binned(allWindows);
    for (int i = 0; i < labels.size(); ++i) {
        // Windows without speech get no point, and the line breaks there: one series per run of speech windows.
        // The first is the label's own series (legend, seriesCount); later runs share its pen, legend hidden.
        QLineSeries* line = nullptr;
        bool inRun = false;
        auto addLine = [&] {
            auto* l = new QLineSeries;
            l->setName(EmotionColors::displayName(labels[i]));
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
    for (double s : {0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0})
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
