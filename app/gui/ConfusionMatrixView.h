// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QImage>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QPainter;

// A confusion-matrix heatmap: true labels down the rows, predicted labels across the columns, the count
// in every cell and its colour from the row-normalised rate (so rare classes read as clearly as common
// ones). Labels are spelled out (EmotionColors::displayName) beside each emotion's colour mark; column labels turn
// vertical when the columns are too narrow for them, so no name is ever cut. Clicking a cell selects it and emits
// cellClicked(trueIndex, predictedIndex).
class ConfusionMatrixView : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionMatrixView(QWidget* parent = nullptr);

    // counts[true][predicted]; a non-square or ragged matrix is cut to labels.size().
    void setMatrix(const QStringList& labels, const QVector<QVector<int>>& counts);
    void clear();

    // What an empty view says (the default names the Train tab's actions; another tab sets its own).
    void setPlaceholderText(const QString& text);
    QString placeholderText() const { return placeholder_; }

    QStringList labels() const { return labels_; }
    QVector<QVector<int>> counts() const { return counts_; }
    int count(int trueIndex, int predictedIndex) const;
    // Share of the true row's clips in this cell, 0 for an empty row.
    double rowRate(int trueIndex, int predictedIndex) const;

    // Where a cell is drawn, in widget coordinates (empty when out of range).
    QRect cellRect(int trueIndex, int predictedIndex) const;
    // The cell under pos as {true, predicted}, or {-1, -1}.
    QPair<int, int> cellAt(const QPoint& pos) const;
    QPair<int, int> selectedCell() const { return selected_; }
    void setSelectedCell(int trueIndex, int predictedIndex);

    // Where label i is drawn along the given axis (Horizontal = the predicted labels over the columns), in widget
    // coordinates; the text runs along the rect's longer side when columnLabelsVertical().
    QRect labelRect(Qt::Orientation axis, int index) const;
    bool columnLabelsVertical() const;

    // The matrix drawn on a white image of `size` (device pixel ratio 1), as for a PNG export.
    QImage renderImage(const QSize& size) const;
    static constexpr int kExportSide = 800; // the exported PNG is kExportSide x kExportSide

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

Q_SIGNALS:
    void cellClicked(int trueIndex, int predictedIndex);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override; // tooltips

private:
    // Geometry for a given widget size, so the screen and an exported image share one layout.
    struct Layout {
        QRect grid;
        bool verticalColumns = false;
    };
    Layout layoutFor(const QSize& size) const;
    QRect cellRectIn(const Layout& layout, int trueIndex, int predictedIndex) const;
    QRect labelRectIn(const Layout& layout, Qt::Orientation axis, int index) const;
    void paintMatrix(QPainter& p, const QSize& size, const QPalette& palette) const;
    int rowLabelWidth() const;
    int columnLabelHeight(bool vertical) const;
    int longestName() const;

    QStringList labels_;
    QVector<QVector<int>> counts_;
    QPair<int, int> selected_{-1, -1};
    QString placeholder_ = tr("Train or evaluate to see the confusion matrix");
};
