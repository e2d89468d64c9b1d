// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/SpectrogramView.h"

#include "gui/PlotMargins.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

SpectrogramView::SpectrogramView(QWidget* parent)
    : QWidget(parent), placeholder_(tr("Open or drop an audio file to see its spectrogram"))
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void SpectrogramView::setSpectrogram(const emoscope::MelMatrix& db, std::vector<double> centresHz, double hopSeconds,
                                     double floorDb, double ceilDb, double startSeconds)
{
    db_ = db;
    centres_ = std::move(centresHz);
    hop_ = hopSeconds;
    floorDb_ = floorDb;
    ceilDb_ = ceilDb;
    start_ = startSeconds;
    rerender();
}

void SpectrogramView::clear()
{
    clearOverlay();
    db_ = {};
    centres_.clear();
    image_ = {};
    cursor_ = -1;
    readout_.clear();
    update();
}

void SpectrogramView::setColorMap(const ColorMap& map)
{
    colorMap_ = map;
    rerender();
}

void SpectrogramView::rerender()
{
    image_ = colorMap_.render(db_, floorDb_, ceilDb_);
    update();
}

// --- Overlay ---
void SpectrogramView::setOverlay(const QImage& heat, double startSeconds, double hopSeconds)
{
    overlay_ = heat.mirrored(false, true); // row 0 of heat is the lowest band, drawn at the bottom
    overlayStart_ = startSeconds;
    overlayHop_ = hopSeconds;
    update();
}

void SpectrogramView::setOverlayVisible(bool on)
{
    overlayVisible_ = on;
    update();
}

void SpectrogramView::clearOverlay()
{
    overlay_ = {};
    update();
}
// --- end overlay ---

void SpectrogramView::setCursorSeconds(double seconds)
{
    if (seconds == cursor_)
        return;
    cursor_ = seconds;
    update();
}

QRect SpectrogramView::plotRect() const
{
    return rect().adjusted(PlotMargins::left, PlotMargins::top, -PlotMargins::right, -PlotMargins::bottom);
}

double SpectrogramView::durationSeconds() const
{
    return db_.frames * hop_;
}

int SpectrogramView::melAtY(int y) const
{
    const QRect plot = plotRect();
    if (db_.nMels <= 0 || y < plot.top() || y > plot.bottom())
        return -1;
    // Row 0 of the plot shows the highest mel; rows are drawn by nearest-neighbour scaling.
    const int fromTop = int(double(y - plot.top()) * db_.nMels / plot.height());
    return std::clamp(db_.nMels - 1 - fromTop, 0, db_.nMels - 1);
}

double SpectrogramView::hzAtY(int y) const
{
    const int mel = melAtY(y);
    return mel >= 0 && mel < int(centres_.size()) ? centres_[std::size_t(mel)] : -1.0;
}

int SpectrogramView::yForHz(double hz) const
{
    const QRect plot = plotRect();
    if (centres_.empty())
        return plot.bottom();
    // Fractional mel index by linear interpolation between centre frequencies.
    double index = 0;
    if (hz <= centres_.front()) {
        index = 0;
    } else if (hz >= centres_.back()) {
        index = double(centres_.size() - 1);
    } else {
        const auto it = std::upper_bound(centres_.begin(), centres_.end(), hz);
        const std::size_t hi = std::size_t(it - centres_.begin());
        const double a = centres_[hi - 1], b = centres_[hi];
        index = double(hi - 1) + (hz - a) / std::max(b - a, 1e-9);
    }
    const double rowHeight = double(plot.height()) / std::max(1, db_.nMels > 0 ? db_.nMels : int(centres_.size()));
    return int(std::lround(plot.top() + plot.height() - (index + 0.5) * rowHeight));
}

int SpectrogramView::frameAtX(int x) const
{
    const QRect plot = plotRect();
    if (db_.frames <= 0 || x < plot.left() || x > plot.right())
        return -1;
    return std::clamp(int(double(x - plot.left()) * db_.frames / plot.width()), 0, db_.frames - 1);
}

double SpectrogramView::secondsAtX(int x) const
{
    const QRect plot = plotRect();
    return start_ + double(x - plot.left()) / std::max(1, plot.width()) * durationSeconds();
}

int SpectrogramView::xForSeconds(double seconds) const
{
    const QRect plot = plotRect();
    const double duration = durationSeconds();
    if (duration <= 0)
        return plot.left();
    return plot.left() + int(std::lround((seconds - start_) / duration * plot.width()));
}

namespace {
double niceStep(double span, int maxTicks)
{
    const double raw = span / std::max(1, maxTicks);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * magnitude >= raw)
            return m * magnitude;
    return 10 * magnitude;
}
} // namespace

void SpectrogramView::drawAxes(QPainter& p, const QRect& plot)
{
    p.setPen(palette().color(QPalette::WindowText));
    const QFontMetrics fm(font());
    // Frequency: labelled at round values, placed where the mel rows put them.
    const double top = centres_.empty() ? 0 : centres_.back();
    int lastY = 1 << 30;
    for (double hz : {0.0, 100.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0}) {
        if (hz > top)
            break;
        const int y = yForHz(hz);
        if (lastY - y < fm.height())
            continue; // would overlap the previous label
        lastY = y;
        const QString label = hz >= 1000 ? QStringLiteral("%1k").arg(hz / 1000.0) : QString::number(hz);
        p.drawLine(plot.left() - 4, y, plot.left() - 1, y);
        p.drawText(QRect(0, y - fm.height() / 2, plot.left() - 6, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   label);
    }
    p.save();
    p.translate(10, plot.center().y());
    p.rotate(-90);
    p.drawText(QRect(-40, -10, 80, 14), Qt::AlignCenter, tr("Hz"));
    p.restore();
    // Time.
    const double duration = durationSeconds();
    if (duration <= 0)
        return;
    const double step = niceStep(duration, std::max(2, plot.width() / 70));
    for (double t = std::ceil(start_ / step) * step; t <= start_ + duration + 1e-9; t += step) {
        const int x = xForSeconds(t);
        p.drawLine(x, plot.bottom() + 1, x, plot.bottom() + 4);
        p.drawText(QRect(x - 30, plot.bottom() + 4, 60, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                   QStringLiteral("%1 s").arg(t, 0, 'g', 4));
    }
}

void SpectrogramView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QRect plot = plotRect();
    p.fillRect(rect(), palette().window());
    if (image_.isNull()) {
        p.fillRect(plot, QColor(colorMap_.map(0.0)));
        p.setPen(QColor(160, 160, 170));
        p.drawText(plot, Qt::AlignCenter, placeholder_);
        return;
    }
    // Nearest-neighbour so every screen row belongs to exactly one mel band (what melAtY assumes).
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    p.drawImage(plot, image_);
    drawAxes(p, plot);
    if (overlayVisible_ && !overlay_.isNull() && overlayHop_ > 0) {
        // Placed on the time axis, so an overlay of part of the recording lands where that part is drawn.
        const int x0 = xForSeconds(overlayStart_);
        const int x1 = xForSeconds(overlayStart_ + overlay_.width() * overlayHop_);
        p.save();
        p.setClipRect(plot);
        p.setRenderHint(QPainter::SmoothPixmapTransform, true); // the map is smooth; blocky cells would mislead
        p.drawImage(QRect(x0, plot.top(), x1 - x0, plot.height()), overlay_);
        p.restore();
    }
    if (cursor_ >= start_ && cursor_ <= start_ + durationSeconds()) {
        const int x = xForSeconds(cursor_);
        p.setPen(QPen(QColor(255, 255, 255), 2));
        p.drawLine(x, plot.top(), x, plot.bottom());
    }
    if (!readout_.isEmpty()) {
        const QFontMetrics fm(font());
        const QRect box(plot.left() + 4, plot.top() + 4, fm.horizontalAdvance(readout_) + 10, fm.height() + 4);
        p.fillRect(box, QColor(0, 0, 0, 170));
        p.setPen(Qt::white);
        p.drawText(box, Qt::AlignCenter, readout_);
    }
}

void SpectrogramView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    const int mel = melAtY(pos.y());
    const int frame = frameAtX(pos.x());
    QString text;
    if (mel >= 0 && frame >= 0)
        text = tr("%1 s   %2 Hz   %3 dB")
                   .arg(secondsAtX(pos.x()), 0, 'f', 2)
                   .arg(hzAtY(pos.y()), 0, 'f', 0)
                   .arg(double(db_.at(mel, frame)), 0, 'f', 1);
    if (text != readout_) {
        readout_ = text;
        update();
        Q_EMIT readoutChanged(readout_);
    }
}

void SpectrogramView::leaveEvent(QEvent*)
{
    if (!readout_.isEmpty()) {
        readout_.clear();
        update();
        Q_EMIT readoutChanged(readout_);
    }
}

void SpectrogramView::mousePressEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    if (frameAtX(pos.x()) >= 0 && plotRect().contains(pos))
        Q_EMIT seekRequested(secondsAtX(pos.x()));
}
