// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>
#include <utility>
#include <vector>

// Draws samples as min/max per pixel column, with an optional play cursor. Clicking asks to seek there.
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
    double durationSeconds() const;
    QRect plotRect() const;

    QSize sizeHint() const override { return {600, 90}; }
    QSize minimumSizeHint() const override { return {200, 50}; }

Q_SIGNALS:
    void seekRequested(double seconds);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent*) override;

private:
    void computePeaks(int columns);

    std::vector<float> samples_;
    int sampleRate_ = 0;
    double start_ = 0;
    double cursor_ = -1;
    std::vector<std::pair<float, float>> peaks_; // per pixel column of the last paint width
    std::vector<std::pair<float, float>> bins_;  // overview mode (setPeaks): samples_ stays empty
    double binSeconds_ = 0;
    double total_ = 0;
};
