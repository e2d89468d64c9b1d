// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>
#include <QWidget>
#include <vector>

// One horizontal bar per emotion: the probabilities it is given, nothing more. Each bar has its emotion's colour
// (EmotionColors, as on the timeline and the confusion matrix), its spelled-out name and its value in %.
class EmotionBarsView : public QWidget {
    Q_OBJECT
public:
    explicit EmotionBarsView(QWidget* parent = nullptr);

    void setProbabilities(const QStringList& labels, const std::vector<float>& probabilities);
    void clear();
    const QStringList& labels() const { return labels_; }
    const std::vector<float>& probabilities() const { return probabilities_; }
    // Where bar i (the first label at the top) is drawn, its full length at 100 %, in widget coordinates.
    QRect barTrack(int index) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int nameWidth() const;
    int valueWidth() const;

    QStringList labels_;
    std::vector<float> probabilities_;
};
