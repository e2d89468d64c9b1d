// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "infer/Classifier.h"

#include <QChartView>
#include <QStringList>
#include <vector>

class QLineSeries;
class QValueAxis;

// Each emotion's probability over time (one point per timeline window, at its centre; none where the window
// has no speech). Clicking asks to seek to that time.
class TimelineChartView : public QChartView {
    Q_OBJECT
public:
    explicit TimelineChartView(QWidget* parent = nullptr);

    void setTimeline(const QStringList& labels, const std::vector<emoscope::TimelineWindow>& windows,
                     double durationSeconds);
    void clear();
    void setCursorSeconds(double seconds);
    int seriesCount() const { return int(lines_.size()); }
    // The time a click at this widget position means (the chart's own mapping).
    double secondsAt(const QPoint& pos) const;

    QSize sizeHint() const override { return {480, 220}; }

Q_SIGNALS:
    void seekRequested(double seconds);

protected:
    void mousePressEvent(QMouseEvent* event) override;

private:
    std::vector<QLineSeries*> lines_;    // one per label
    std::vector<QLineSeries*> segments_; // further runs of speech windows, after a gap
    QLineSeries* cursor_;
    QValueAxis* time_;
    QValueAxis* probability_;
    double cursorAt_ = -1;
};
