// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/WaveformView.h"

#include "gui/PlotMargins.h"
#include "gui/SelectionPainter.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

WaveformView::WaveformView(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void WaveformView::setSamples(std::vector<float> samples, int sampleRate, double startSeconds)
{
    samples_ = std::move(samples);
    sampleRate_ = sampleRate;
    start_ = startSeconds;
    bins_.clear();
    total_ = 0;
    peaks_.clear();
    update();
}

void WaveformView::setPeaks(std::vector<std::pair<float, float>> bins, double binSeconds, double totalSeconds)
{
    samples_.clear();
    sampleRate_ = 0;
    start_ = 0;
    bins_ = std::move(bins);
    binSeconds_ = binSeconds;
    total_ = std::max(totalSeconds, double(bins_.size()) * binSeconds);
    peaks_.clear();
    update();
}

void WaveformView::clear()
{
    setSamples({}, 0);
    cursor_ = -1;
}

void WaveformView::setTimeViewport(TimeViewport* viewport)
{
    viewport_ = viewport;
    input_.setViewport(viewport, this);
    update();
}

TimeRange WaveformView::visibleRange() const
{
    if (viewport_)
        return viewport_->visible();
    return {start_, start_ + durationSeconds()};
}

double WaveformView::secondsAtX(double x) const
{
    const QRect plot = plotRect();
    return timeaxis::secondsAtX(x, plot.left(), plot.width(), visibleRange());
}

int WaveformView::xForSeconds(double seconds) const
{
    const QRect plot = plotRect();
    return int(std::lround(timeaxis::xForSeconds(seconds, plot.left(), plot.width(), visibleRange())));
}

void WaveformView::setCursorSeconds(double seconds)
{
    if (seconds == cursor_)
        return;
    cursor_ = seconds;
    update();
}

double WaveformView::durationSeconds() const
{
    if (!bins_.empty())
        return total_;
    return sampleRate_ > 0 ? double(samples_.size()) / sampleRate_ : 0.0;
}

QRect WaveformView::plotRect() const
{
    return rect().adjusted(PlotMargins::left, PlotMargins::top, -PlotMargins::right, -PlotMargins::top);
}

void WaveformView::resizeEvent(QResizeEvent*)
{
    peaks_.clear();
}

void WaveformView::computePeaks(int columns)
{
    peaks_.assign(std::size_t(std::max(columns, 0)), {0.0f, 0.0f});
    const TimeRange range = visibleRange();
    peaksRange_ = range;
    if (columns <= 0 || range.span() <= 0)
        return;
    const double perColumn = range.span() / columns;
    if (!bins_.empty()) {
        // Overview: each column merges the bins under it (zoomed past the bins' resolution, a bin spans several
        // columns); columns past what was read stay flat.
        for (int c = 0; c < columns; ++c) {
            const double t0 = range.start + c * perColumn;
            if (t0 < 0)
                continue;
            const std::size_t a = std::size_t(t0 / binSeconds_);
            const std::size_t b = std::max(a + 1, std::size_t((t0 + perColumn) / binSeconds_));
            if (a >= bins_.size())
                break;
            std::pair<float, float> p = bins_[a];
            for (std::size_t i = a + 1; i < std::min(b, bins_.size()); ++i)
                p = {std::min(p.first, bins_[i].first), std::max(p.second, bins_[i].second)};
            peaks_[std::size_t(c)] = p;
        }
        return;
    }
    const std::size_t n = samples_.size();
    if (n == 0 || sampleRate_ <= 0)
        return;
    for (int c = 0; c < columns; ++c) {
        const double t0 = range.start + c * perColumn - start_;
        if (t0 < 0)
            continue;
        const std::size_t a = std::size_t(t0 * sampleRate_);
        if (a >= n)
            break;
        const std::size_t b = std::max(a + 1, std::size_t((t0 + perColumn) * sampleRate_));
        const auto [lo, hi] = std::minmax_element(samples_.begin() + std::ptrdiff_t(a),
                                                  samples_.begin() + std::ptrdiff_t(std::min(b, n)));
        peaks_[std::size_t(c)] = {*lo, *hi};
    }
}

void WaveformView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QRect plot = plotRect();
    p.fillRect(rect(), palette().window());
    p.fillRect(plot, QColor(24, 24, 32));
    const int mid = plot.center().y();
    p.setPen(QColor(70, 70, 90));
    p.drawLine(plot.left(), mid, plot.right(), mid);
    if (samples_.empty() && bins_.empty()) {
        p.setPen(QColor(150, 150, 160));
        p.drawText(plot, Qt::AlignCenter, tr("No audio"));
        return;
    }
    if (int(peaks_.size()) != plot.width() || !(peaksRange_ == visibleRange()))
        computePeaks(plot.width());
    // Quiet recordings (TESS peaks around -10 dBFS) would be a thin line: scale to the loudest column,
    // up to 10x, and say so.
    float loudest = 0.0f;
    for (const auto& [lo, hi] : peaks_)
        loudest = std::max({loudest, -lo, hi});
    const double gain = std::clamp(0.95 / std::max(double(loudest), 1e-6), 1.0, 10.0);
    const double half = plot.height() / 2.0 * gain;
    p.setPen(QColor(110, 190, 255));
    for (int c = 0; c < int(peaks_.size()); ++c) {
        const auto [lo, hi] = peaks_[std::size_t(c)];
        const int y1 = int(mid - std::clamp(hi, -1.0f, 1.0f) * half);
        const int y2 = int(mid - std::clamp(lo, -1.0f, 1.0f) * half);
        p.drawLine(plot.left() + c, y1, plot.left() + c, std::max(y1, y2));
    }
    p.setPen(QColor(150, 150, 160));
    p.drawText(QRect(0, plot.top(), PlotMargins::left - 6, plot.height()), Qt::AlignRight | Qt::AlignVCenter,
               gain > 1.05 ? tr("wave\n×%1").arg(gain, 0, 'f', 1) : tr("wave"));
    if (viewport_ && viewport_->selection())
        SelectionPainter::paint(p, plot, xForSeconds(viewport_->selection()->start), xForSeconds(viewport_->selection()->end));
    if (cursor_ >= 0 && visibleRange().contains(cursor_)) {
        const int x = xForSeconds(cursor_);
        p.setPen(QPen(QColor(255, 255, 255), 2));
        p.drawLine(x, plot.top(), x, plot.bottom());
    }
}

void WaveformView::mousePressEvent(QMouseEvent* event)
{
    const QRect plot = plotRect();
    if ((samples_.empty() && bins_.empty()) || !plot.contains(event->position().toPoint()))
        return;
    const double t = secondsAtX(event->position().x());
    if (!viewport_) {
        Q_EMIT seekRequested(t); // Record: any click seeks, as before
        return;
    }
    input_.press(*event, t);
}

void WaveformView::mouseMoveEvent(QMouseEvent* event)
{
    input_.move(*event, secondsAtX(event->position().x()));
}

void WaveformView::mouseReleaseEvent(QMouseEvent* event)
{
    if (const auto seek = input_.release(*event, secondsAtX(event->position().x())))
        Q_EMIT seekRequested(*seek);
}

void WaveformView::wheelEvent(QWheelEvent* event)
{
    if (!input_.wheel(*event, secondsAtX(event->position().x())))
        QWidget::wheelEvent(event);
}
