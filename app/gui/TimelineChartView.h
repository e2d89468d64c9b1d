// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "gui/TimeAxisInput.h"
#include "gui/TimeViewport.h"
#include "infer/Classifier.h"

#include <QChartView>
#include <QStringList>
#include <QTimer>
#include <vector>

class QLineSeries;
class QValueAxis;

// Each emotion's probability over time (one point per timeline window, at its centre; none where the window
// has no speech). Clicking asks to seek to that time. Its plot keeps PlotMargins' left and right edges so it lines
// up with the waveform and spectrogram above it; with a TimeViewport its time axis is the viewport's visible range
// and it draws the selection and takes the shared zoom, scroll and selection gestures.
class TimelineChartView : public QChartView {
    Q_OBJECT
public:
    explicit TimelineChartView(QWidget* parent = nullptr);

    void setTimeline(const QStringList& labels, const std::vector<emoscope::TimelineWindow>& windows,
                     double durationSeconds);
    void clear();
    void setCursorSeconds(double seconds);
    void setTimeViewport(TimeViewport* viewport);
    int seriesCount() const { return int(lines_.size()); }
    // The time a click at this widget position means (the chart's own mapping).
    double secondsAt(const QPoint& pos) const;
    // Where the chart draws this time, in widget x.
    int xForSeconds(double seconds) const;
    TimeRange visibleRange() const;

    QSize sizeHint() const override { return {480, 220}; }

Q_SIGNALS:
    void seekRequested(double seconds);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

    void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
    void setTimeRange(TimeRange range);
    void rebuildSeries(TimeRange range);
    void removeSeries();
    std::vector<emoscope::TimelineWindow> windowsAround(TimeRange range) const;
    void layoutPlot();
    void relayoutSoon();

    std::vector<QLineSeries*> lines_;    // one per label
    std::vector<QLineSeries*> segments_; // further runs of speech windows, after a gap
    QLineSeries* cursor_;
    QValueAxis* time_;
    QValueAxis* probability_;
    double cursorAt_ = -1;
    double duration_ = 0;
    QStringList labels_;
    std::vector<emoscope::TimelineWindow> windows_; // all of them; the series hold bins of those around the view
    TimeRange binnedFor_;
    QTimer rebinTimer_;
    TimeViewport* timeViewport_ = nullptr;
    TimeAxisInput input_;
};
