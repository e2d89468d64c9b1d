// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/MelMatrix.h"
#include "gui/ColorMap.h"

#include <QImage>
#include <QWidget>
#include <vector>

// Draws a dB mel spectrogram through a ColorMap with a time axis (seconds) and a frequency axis (Hz at the
// mel filters' centre frequencies), a play cursor and a readout of time, Hz and dB under the mouse pointer.
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

    // The axis mapping the view draws with (also used by the readout and by tests).
    QRect plotRect() const;
    int melAtY(int y) const;        // -1 outside the plot
    double hzAtY(int y) const;      // centre frequency of the mel row drawn at y; -1 outside
    int yForHz(double hz) const;
    int frameAtX(int x) const;      // -1 outside
    double secondsAtX(int x) const;
    int xForSeconds(double seconds) const;
    double durationSeconds() const;
    const emoscope::MelMatrix& spectrogram() const { return db_; }
    QString readout() const { return readout_; }

    // --- Overlay (saliency heat map) ---
    // heat: one column per spectrogram frame of hopSeconds from startSeconds, one row per mel band, row 0 = lowest
    // band, ARGB with alpha. Drawn over the spectrogram, on its time axis, while visible.
    void setOverlay(const QImage& heat, double startSeconds, double hopSeconds);
    void setOverlayVisible(bool on);
    void clearOverlay();
    bool hasOverlay() const { return !overlay_.isNull(); }
    bool isOverlayVisible() const { return overlayVisible_; }
    // --- end overlay ---

    QSize sizeHint() const override { return {600, 260}; }
    QSize minimumSizeHint() const override { return {200, 120}; }

Q_SIGNALS:
    void seekRequested(double seconds);
    void readoutChanged(const QString& text);

protected:
    void paintEvent(QPaintEvent*) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent*) override;

private:
    void rerender();
    void drawAxes(QPainter& p, const QRect& plot);

    emoscope::MelMatrix db_;
    std::vector<double> centres_;
    double hop_ = 0;
    double floorDb_ = -80;
    double ceilDb_ = 0;
    double start_ = 0;
    double cursor_ = -1;
    ColorMap colorMap_;
    QImage image_;
    QString readout_;
    QString placeholder_;
    // --- Overlay ---
    QImage overlay_;            // flipped to screen order (top row = highest band) when set
    double overlayStart_ = 0;
    double overlayHop_ = 0;
    bool overlayVisible_ = false;
    // --- end overlay ---
};
