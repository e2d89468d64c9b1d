// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/TimelineChartView.h"

#include "gui/EmotionColors.h"
#include "gui/PlotMargins.h"

#include <QGraphicsLayout>
#include "gui/SelectionPainter.h"

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
    // The plot area is placed by hand (layoutPlot) so it lines up with the views above; the legend goes above it.
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->legend()->detachFromChart();
    chart->legend()->setBackgroundVisible(false);
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
    setMinimumSize(260, 150); // legend, plot and axis unelided; fits 1000x700 with the bars below
    setFrameShape(QFrame::NoFrame); // widget x == scene x, as in the views above
    setToolTip(tr("Click to play from that moment, drag to select"));
    rebinTimer_.setSingleShot(true);
    rebinTimer_.setInterval(120);
    connect(&rebinTimer_, &QTimer::timeout, this, [this] { rebuildSeries(visibleRange()); });
}

namespace {
// A long recording's timeline has thousands of windows (two hours: 14,400), far more than the chart has pixels, and
// every run of speech would become its own series. Bins of consecutive windows keep it to kMaxPoints (of the
// windows around the visible range, so zooming in shows detail): a bin's
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
    labels_ = labels;
    windows_ = allWindows;
    duration_ = durationSeconds;
    const TimeRange range = timeViewport_ ? timeViewport_->visible() : TimeRange{0.0, durationSeconds};
    rebuildSeries(range);
    setTimeRange(range);
    relayoutSoon();
}

// A long file zoomed in: the bins are made again for the windows around the visible range, so zooming shows detail
// rather than stretched bins of the whole file. The range shown plus one span either side, for smooth scrolling.
std::vector<emoscope::TimelineWindow> TimelineChartView::windowsAround(TimeRange range) const
{
    if (windows_.size() <= kMaxPoints)
        return windows_;
    const double from = range.start - range.span(), to = range.end + range.span();
    std::vector<emoscope::TimelineWindow> out;
    for (const emoscope::TimelineWindow& w : windows_)
        if (w.endSeconds >= from && w.startSeconds <= to)
            out.push_back(w);
    return binned(out);
}

void TimelineChartView::removeSeries()
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
}

void TimelineChartView::rebuildSeries(TimeRange range)
{
    removeSeries();
    binnedFor_ = range;
    const QStringList& labels = labels_;
    const std::vector<emoscope::TimelineWindow> windows = windowsAround(range);
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
}

void TimelineChartView::setTimeRange(TimeRange range)
{
    // Re-binning waits until the wheel stops (a notch every few ms would rebuild every series each time).
    if (windows_.size() > kMaxPoints && !(range == binnedFor_))
        rebinTimer_.start();
    const double span = std::max(range.span(), 0.05);
    // Round tick values (0, 2, 4 … s) rather than the range split into equal, odd-valued parts.
    double step = 3600.0;
    for (double s : {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0,
                     1800.0, 3600.0})
        if (span / s <= 8) {
            step = s;
            break;
        }
    step = std::max(step, span / 8); // beyond hours: still at most about eight ticks
    time_->setTickType(QValueAxis::TicksDynamic);
    time_->setTickAnchor(0.0);
    // The axis lays out its ticks on every change: a wide range must never meet the narrow range's small step
    // (two hours at 0.01 s would be 720,000 tick items), so a coarser step goes in before the range, a finer after.
    if (step >= time_->tickInterval()) {
        time_->setTickInterval(step);
        time_->setRange(range.start, range.start + span);
    } else {
        time_->setRange(range.start, range.start + span);
        time_->setTickInterval(step);
    }
    time_->setLabelFormat(step < 0.1 ? QStringLiteral("%.2f") : step < 1.0 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
}

void TimelineChartView::setTimeViewport(TimeViewport* viewport)
{
    if (timeViewport_)
        timeViewport_->disconnect(this);
    timeViewport_ = viewport;
    input_.setViewport(viewport);
    if (timeViewport_) {
        connect(timeViewport_, &TimeViewport::visibleChanged, this, &TimelineChartView::setTimeRange);
        connect(timeViewport_, &TimeViewport::selectionChanged, this, [this] { scene()->update(); });
        setTimeRange(timeViewport_->visible());
    }
}

TimeRange TimelineChartView::visibleRange() const
{
    return {time_->min(), time_->max()};
}

int TimelineChartView::xForSeconds(double seconds) const
{
    const QPointF scenePos = chart()->mapToPosition(QPointF(seconds, 0.0), cursor_);
    return mapFromScene(scenePos).x() + viewport()->x();
}

void TimelineChartView::layoutPlot()
{
    // Same left and right edges as WaveformView/SpectrogramView; the legend sits in one row above the plot and the
    // time labels and title below it.
    const QFontMetrics fm(font());
    const int legendHeight = fm.height() + 10;
    const int bottom = 2 * fm.height() + 14;
    const QRectF plot(PlotMargins::left, legendHeight + 4, std::max(10, width() - PlotMargins::left - PlotMargins::right),
                      std::max(10, height() - legendHeight - 4 - bottom));
    chart()->setPlotArea(plot);
    // setPlotArea only records the rectangle; without a layout pass the axes and series stay where the chart's own
    // layout put them until something else (a zoom) relayouts it.
    if (QGraphicsLayout* layout = chart()->layout()) {
        layout->invalidate();
        layout->activate();
    }
    chart()->legend()->setGeometry(QRectF(PlotMargins::left, 0, plot.width(), legendHeight));
    chart()->legend()->update();
}

void TimelineChartView::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    layoutPlot();
}

void TimelineChartView::showEvent(QShowEvent* event)
{
    // Hidden until a file has a timeline: the size it was laid out for may be stale by the time it shows.
    QChartView::showEvent(event);
    relayoutSoon();
}

void TimelineChartView::relayoutSoon()
{
    // QChart lays itself out from the event loop after series, axes or visibility change; placing the plot now
    // would be undone (or half applied), so it is placed again once that has happened.
    QMetaObject::invokeMethod(this, [this] { layoutPlot(); }, Qt::QueuedConnection);
}

void TimelineChartView::drawForeground(QPainter* painter, const QRectF& rect)
{
    QChartView::drawForeground(painter, rect);
    if (!timeViewport_ || !timeViewport_->selection() || lines_.empty())
        return;
    const QRect plot = chart()->plotArea().toRect();
    const auto x = [this](double t) { return int(std::lround(chart()->mapToPosition(QPointF(t, 0.0), cursor_).x())); };
    SelectionPainter::paint(*painter, plot, x(timeViewport_->selection()->start), x(timeViewport_->selection()->end), false);
}

void TimelineChartView::clear()
{
    removeSeries();
    labels_.clear();
    windows_.clear();
    rebinTimer_.stop();
    cursor_->clear();
    cursorAt_ = -1;
}

void TimelineChartView::setCursorSeconds(double seconds)
{
    // Redraw only when the line would move by a fraction of a pixel's worth of time or more (30 fps ticks).
    if (lines_.empty() || std::abs(seconds - cursorAt_) < (time_->max() - time_->min()) / 2000.0)
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
    const double t = std::clamp(secondsAt(pos), time_->min(), time_->max());
    if (!timeViewport_) {
        Q_EMIT seekRequested(t);
        return;
    }
    input_.press(*event, t);
}

void TimelineChartView::mouseMoveEvent(QMouseEvent* event)
{
    if (!lines_.empty() && input_.move(*event, secondsAt(event->position().toPoint())))
        return;
    QChartView::mouseMoveEvent(event);
}

void TimelineChartView::mouseReleaseEvent(QMouseEvent* event)
{
    if (lines_.empty()) {
        QChartView::mouseReleaseEvent(event);
        return;
    }
    if (const auto seek = input_.release(*event, secondsAt(event->position().toPoint())))
        Q_EMIT seekRequested(std::clamp(*seek, time_->min(), time_->max()));
}

void TimelineChartView::wheelEvent(QWheelEvent* event)
{
    if (lines_.empty() || !input_.wheel(*event, secondsAt(event->position().toPoint())))
        QChartView::wheelEvent(event);
}
