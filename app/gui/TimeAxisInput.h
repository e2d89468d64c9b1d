// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QPointF>
#include <optional>

class QMouseEvent;
class QWheelEvent;
class QWidget;
class TimeViewport;

// The mouse gestures every Analyze view shares, turned into TimeViewport changes: a left drag selects, Shift+click
// extends, a click without a drag is a seek (returned by release), the wheel scrolls and Ctrl+wheel zooms about the
// mouse. The view maps its own x to seconds and passes the time in.
class TimeAxisInput {
public:
    // With `repaint`, that widget is also repainted whenever the viewport's visible range or selection changes (and
    // no longer for the viewport it had before).
    void setViewport(TimeViewport* viewport, QWidget* repaint = nullptr);
    TimeViewport* viewport() const { return viewport_; }

    // Each returns true when it used the event.
    bool press(const QMouseEvent& event, double seconds);
    bool move(const QMouseEvent& event, double seconds);
    // A plain click (no drag, no Shift) asks to seek to where it started.
    std::optional<double> release(const QMouseEvent& event, double seconds);
    bool wheel(const QWheelEvent& event, double anchorSeconds);

private:
    TimeViewport* viewport_ = nullptr;
    bool pressed_ = false;
    bool dragging_ = false;
    QPointF pressPos_;
    double pressSeconds_ = 0;
};
