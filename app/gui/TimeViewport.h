// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QObject>
#include <optional>

// A span of time in seconds, start <= end.
struct TimeRange {
    double start = 0;
    double end = 0;
    double span() const { return end - start; }
    bool contains(double t) const { return t >= start && t <= end; }
    bool operator==(const TimeRange&) const = default;
};

// The zoom/scroll/selection maths, free of widgets so tests can check them directly.
namespace timeaxis {
// Shifts (and if needed shrinks) `range` so it lies within [0, duration] and spans at least minSpan (or the whole
// file when that is shorter).
TimeRange clamped(TimeRange range, double duration, double minSpan);
// Zooms by `factor` (> 1 = in) keeping `anchor` at the same fraction of the range, so the time under the mouse stays
// under the mouse; then clamps.
TimeRange zoomedAbout(TimeRange range, double anchor, double factor, double duration, double minSpan);
// Moves by `seconds` (negative = earlier), clamped to the file.
TimeRange scrolled(TimeRange range, double seconds, double duration);
// Selection from two times in any order, clamped to the file; none when it is shorter than minLength.
std::optional<TimeRange> normalizedSelection(double a, double b, double duration, double minLength);
// Pixel x <-> seconds for a plot whose left edge is `left` and that is `width` pixels wide showing `range`.
double secondsAtX(double x, double left, double width, TimeRange range);
double xForSeconds(double seconds, double left, double width, TimeRange range);
} // namespace timeaxis

// The time axis shared by the Analyze views: the file's duration, the visible range, the selection (if any) and
// the play position that keyboard zoom and Shift+click use as their anchor. The views draw what it says and ask it
// to change; it only holds state and emits when that state changes.
class TimeViewport : public QObject {
    Q_OBJECT
public:
    static constexpr double kMinSpanSeconds = 0.05;      // about one pixel per millisecond at usual widths
    static constexpr double kMinSelectionSeconds = 0.01;
    static constexpr double kZoomStep = 1.5;             // one Ctrl++ / wheel notch

    explicit TimeViewport(QObject* parent = nullptr);

    // A new file: the whole of it is visible and the selection goes.
    void reset(double durationSeconds);
    // The same file grew (a long file still being read): a fitted view keeps fitting, a zoomed one stays put.
    void setDuration(double durationSeconds);
    double duration() const { return duration_; }
    TimeRange visible() const { return visible_; }
    bool isFit() const;
    std::optional<TimeRange> selection() const { return selection_; }
    double cursor() const { return cursor_; }

public Q_SLOTS:
    void setVisible(TimeRange range);
    void zoomAbout(double anchorSeconds, double factor);
    void zoomIn();  // about the play position when it is visible, else the centre
    void zoomOut();
    void fit();
    void zoomToSelection();
    void scrollBy(double seconds);
    void scrollPages(double pages); // one page = the visible span
    void scrollToStart();
    void scrollToEnd();
    void setSelection(double a, double b);
    // Shift+click: moves the nearer edge of the selection to t, or selects from the play position to t.
    void extendSelectionTo(double t);
    void clearSelection();
    void setCursor(double seconds);

Q_SIGNALS:
    void visibleChanged(TimeRange range);
    void selectionChanged(std::optional<TimeRange> selection);

private:
    double zoomAnchor() const;

    double duration_ = 0;
    TimeRange visible_;
    std::optional<TimeRange> selection_;
    double cursor_ = 0;
};
