// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/MelMatrix.h"
#include "gui/ColorMap.h"
#include "gui/TimeAxisInput.h"
#include "gui/TimeViewport.h"

#include <QImage>
#include <QWidget>
#include <vector>

// Draws a dB mel spectrogram through a ColorMap with a time axis (seconds) and a frequency axis (Hz at the
// mel filters' centre frequencies), a play cursor and a readout of time, Hz and dB under the mouse pointer.
// With a TimeViewport (Analyze) it draws the viewport's visible range and selection and takes the shared zoom,
// scroll and selection gestures; without one (Record) it draws everything it holds and a click seeks.
class SpectrogramView : public QWidget {
    Q_OBJECT
public:
    explicit SpectrogramView(QWidget* parent = nullptr);

    // db is [nMels][frames]; centresHz has one entry per mel row; startSeconds is the time of column 0.
    void setSpectrogram(const emoscope::MelMatrix& db, std::vector<double> centresHz, double hopSeconds,
                        double floorDb, double ceilDb, double startSeconds = 0.0);
    void clear();
    void setColorMap(const ColorMap& map);
    const ColorMap& colorMap() const { return colorMap_; }
    void setCursorSeconds(double seconds); // < 0 hides it
    void setPlaceholderText(const QString& text) { placeholder_ = text; update(); }
    void setTimeViewport(TimeViewport* viewport);

    // A heat map painted over the spectrogram through the same time mapping (saliency): one column per frame of
    // hopSeconds from startSeconds, one row per mel band with row 0 the lowest, ARGB with its own alpha.
    void setOverlay(const QImage& heat, double startSeconds, double hopSeconds);
    void setOverlayVisible(bool on);
    void clearOverlay();
    bool hasOverlay() const { return !overlay_.isNull(); }
    bool isOverlayVisible() const { return overlayVisible_; }
    // The view as it looks now (visible range, overlay, cursor, selection, axes) drawn at `size`, for export.
    QImage renderVisible(QSize size) const;

    // The axis mapping the view draws with (also used by the readout and by tests).
    QRect plotRect() const;
    int melAtY(int y) const;        // -1 outside the plot
    double hzAtY(int y) const;      // centre frequency of the mel row drawn at y; -1 outside
    int yForHz(double hz) const;
    int frameAtX(int x) const;      // -1 outside
    double secondsAtX(int x) const;
    int xForSeconds(double seconds) const;
    TimeRange visibleRange() const;
    double durationSeconds() const;
    const emoscope::MelMatrix& spectrogram() const { return db_; }
    QString readout() const { return readout_; }

    QSize sizeHint() const override { return {600, 260}; }
    QSize minimumSizeHint() const override { return {200, 120}; }

Q_SIGNALS:
    void seekRequested(double seconds);
    void readoutChanged(const QString& text);

protected:
    void paintEvent(QPaintEvent*) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent*) override;

private:
    void rerender();
    // Everything drawn, for a widget of `area` (the widget itself, or an exported image).
    void paintContent(QPainter& p, const QRect& area, bool withReadout) const;
    void drawAxes(QPainter& p, const QRect& plot) const;
    void drawTimeImage(QPainter& p, const QRect& plot, const QImage& image, double startSeconds, double hopSeconds) const;
    static QRect plotRectIn(const QRect& area);
    int yForHzIn(const QRect& plot, double hz) const;
    int xForSecondsIn(const QRect& plot, double seconds) const;

    emoscope::MelMatrix db_;
    std::vector<double> centres_;
    double hop_ = 0;
    double floorDb_ = -80;
    double ceilDb_ = 0;
    double start_ = 0;
    double cursor_ = -1;
    ColorMap colorMap_;
    QImage image_;
    QImage overlay_; // flipped once so row 0 is the top, like image_
    double overlayStart_ = 0;
    double overlayHop_ = 0;
    bool overlayVisible_ = true;
    QString readout_;
    QString placeholder_;
    TimeViewport* viewport_ = nullptr;
    TimeAxisInput input_;
};
