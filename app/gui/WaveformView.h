// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "gui/TimeAxisInput.h"
#include "gui/TimeViewport.h"

#include <QWidget>
#include <utility>
#include <vector>

// Draws samples as min/max per pixel column, with an optional play cursor. Clicking asks to seek there.
// With a TimeViewport (Analyze) it draws the viewport's visible range and selection and takes the shared zoom,
// scroll and selection gestures; without one (Record) it draws everything it holds.
class WaveformView : public QWidget {
    Q_OBJECT
public:
    explicit WaveformView(QWidget* parent = nullptr);

    void setSamples(std::vector<float> samples, int sampleRate, double startSeconds = 0.0);
    // A long recording's overview instead of its samples: min/max per bin of binSeconds, spanning totalSeconds
    // (the bins may cover only the start while the rest is still being read).
    void setPeaks(std::vector<std::pair<float, float>> bins, double binSeconds, double totalSeconds);
    void clear();
    void setCursorSeconds(double seconds); // < 0 hides the cursor
    void setTimeViewport(TimeViewport* viewport);
    double durationSeconds() const;
    QRect plotRect() const;
    // The time range drawn across the plot, and the mapping the view draws and reads clicks with.
    TimeRange visibleRange() const;
    double secondsAtX(double x) const;
    int xForSeconds(double seconds) const;

    QSize sizeHint() const override { return {600, 90}; }
    QSize minimumSizeHint() const override { return {200, 50}; }

Q_SIGNALS:
    void seekRequested(double seconds);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent*) override;

private:
    void computePeaks(int columns);

    std::vector<float> samples_;
    int sampleRate_ = 0;
    double start_ = 0;
    double cursor_ = -1;
    std::vector<std::pair<float, float>> peaks_; // per pixel column of the last paint width and visible range
    TimeRange peaksRange_;
    std::vector<std::pair<float, float>> bins_;  // overview mode (setPeaks): samples_ stays empty
    double binSeconds_ = 0;
    double total_ = 0;
    TimeViewport* viewport_ = nullptr;
    TimeAxisInput input_;
};
