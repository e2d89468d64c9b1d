// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/TimeViewport.h"

#include <algorithm>
#include <cmath>

namespace timeaxis {

TimeRange clamped(TimeRange range, double duration, double minSpan)
{
    duration = std::max(duration, 0.0);
    if (range.end < range.start)
        std::swap(range.start, range.end);
    double span = std::clamp(range.span(), std::min(minSpan, duration), duration);
    // Grow or shrink about the centre, then slide inside the file.
    const double centre = (range.start + range.end) / 2.0;
    double start = std::clamp(centre - span / 2.0, 0.0, duration - span);
    return {start, start + span};
}

TimeRange zoomedAbout(TimeRange range, double anchor, double factor, double duration, double minSpan)
{
    if (factor <= 0 || range.span() <= 0)
        return clamped(range, duration, minSpan);
    const double span = std::clamp(range.span() / factor, std::min(minSpan, duration), std::max(duration, 0.0));
    const double fraction = std::clamp((anchor - range.start) / range.span(), 0.0, 1.0);
    const double start = anchor - fraction * span;
    TimeRange out{start, start + span};
    // Slide (never rescale) into the file: the span is already within limits.
    if (out.start < 0)
        out = {0, span};
    if (out.end > duration)
        out = {duration - span, duration};
    return out;
}

TimeRange scrolled(TimeRange range, double seconds, double duration)
{
    const double span = std::min(range.span(), std::max(duration, 0.0));
    const double start = std::clamp(range.start + seconds, 0.0, std::max(duration - span, 0.0));
    return {start, start + span};
}

std::optional<TimeRange> normalizedSelection(double a, double b, double duration, double minLength)
{
    if (a > b)
        std::swap(a, b);
    a = std::clamp(a, 0.0, std::max(duration, 0.0));
    b = std::clamp(b, 0.0, std::max(duration, 0.0));
    if (b - a < minLength)
        return std::nullopt;
    return TimeRange{a, b};
}

double secondsAtX(double x, double left, double width, TimeRange range)
{
    return range.start + (x - left) / std::max(width, 1.0) * range.span();
}

double xForSeconds(double seconds, double left, double width, TimeRange range)
{
    if (range.span() <= 0)
        return left;
    return left + (seconds - range.start) / range.span() * width;
}

} // namespace timeaxis

TimeViewport::TimeViewport(QObject* parent) : QObject(parent) {}

void TimeViewport::reset(double durationSeconds)
{
    duration_ = std::max(durationSeconds, 0.0);
    cursor_ = 0;
    visible_ = {0, duration_};
    const bool hadSelection = selection_.has_value();
    selection_.reset();
    Q_EMIT visibleChanged(visible_);
    if (hadSelection)
        Q_EMIT selectionChanged(selection_);
}

void TimeViewport::setDuration(double durationSeconds)
{
    durationSeconds = std::max(durationSeconds, 0.0);
    if (durationSeconds == duration_)
        return;
    const bool wasFit = isFit();
    duration_ = durationSeconds;
    if (selection_) {
        selection_ = timeaxis::normalizedSelection(selection_->start, selection_->end, duration_, kMinSelectionSeconds);
        Q_EMIT selectionChanged(selection_);
    }
    setVisible(wasFit ? TimeRange{0, duration_} : visible_);
    Q_EMIT visibleChanged(visible_); // the scroll bar's range changed even when the visible range did not
}

bool TimeViewport::isFit() const
{
    return visible_.start <= 1e-9 && visible_.end >= duration_ - 1e-9;
}

void TimeViewport::setVisible(TimeRange range)
{
    const TimeRange next = timeaxis::clamped(range, duration_, kMinSpanSeconds);
    if (next == visible_)
        return;
    visible_ = next;
    Q_EMIT visibleChanged(visible_);
}

void TimeViewport::zoomAbout(double anchorSeconds, double factor)
{
    setVisible(timeaxis::zoomedAbout(visible_, anchorSeconds, factor, duration_, kMinSpanSeconds));
}

double TimeViewport::zoomAnchor() const
{
    return visible_.contains(cursor_) ? cursor_ : (visible_.start + visible_.end) / 2.0;
}

void TimeViewport::zoomIn()
{
    zoomAbout(zoomAnchor(), kZoomStep);
}

void TimeViewport::zoomOut()
{
    zoomAbout(zoomAnchor(), 1.0 / kZoomStep);
}

void TimeViewport::fit()
{
    setVisible({0, duration_});
}

void TimeViewport::zoomToSelection()
{
    if (selection_)
        setVisible(*selection_);
}

void TimeViewport::scrollBy(double seconds)
{
    setVisible(timeaxis::scrolled(visible_, seconds, duration_));
}

void TimeViewport::scrollPages(double pages)
{
    scrollBy(pages * visible_.span());
}

void TimeViewport::scrollToStart()
{
    scrollBy(-duration_);
}

void TimeViewport::scrollToEnd()
{
    scrollBy(duration_);
}

void TimeViewport::setSelection(double a, double b)
{
    const auto next = timeaxis::normalizedSelection(a, b, duration_, kMinSelectionSeconds);
    if (next == selection_)
        return;
    selection_ = next;
    Q_EMIT selectionChanged(selection_);
}

void TimeViewport::extendSelectionTo(double t)
{
    if (!selection_) {
        setSelection(cursor_, t);
        return;
    }
    // Keep the edge farther from t, as audio editors do.
    const double keep = std::abs(t - selection_->start) < std::abs(t - selection_->end) ? selection_->end : selection_->start;
    setSelection(keep, t);
}

void TimeViewport::clearSelection()
{
    if (!selection_)
        return;
    selection_.reset();
    Q_EMIT selectionChanged(selection_);
}

void TimeViewport::setCursor(double seconds)
{
    cursor_ = seconds;
}
