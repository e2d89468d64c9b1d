// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QChartView>
#include <QStringList>
#include <vector>

class QBarCategoryAxis;
class QBarSet;
class QHorizontalBarSeries;
class QValueAxis;

// One horizontal bar per emotion: the probabilities it is given, nothing more.
class EmotionBarsView : public QChartView {
    Q_OBJECT
public:
    explicit EmotionBarsView(QWidget* parent = nullptr);

    void setProbabilities(const QStringList& labels, const std::vector<float>& probabilities);
    void clear();
    const QStringList& labels() const { return labels_; }
    const std::vector<float>& probabilities() const { return probabilities_; }

    QSize sizeHint() const override { return {320, 240}; }

private:
    QHorizontalBarSeries* series_;
    QBarSet* set_;
    QBarCategoryAxis* categories_;
    QValueAxis* values_;
    QStringList labels_;
    std::vector<float> probabilities_;
};
