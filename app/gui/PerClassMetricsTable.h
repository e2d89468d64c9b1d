// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

class QLabel;
class QTableWidget;

namespace emoscope {
struct EvaluationReport;
}

// Precision, recall, F1 and support per emotion, with accuracy, UAR and macro F1 underneath.
class PerClassMetricsTable : public QWidget {
    Q_OBJECT
public:
    explicit PerClassMetricsTable(QWidget* parent = nullptr);

    void setReport(const emoscope::EvaluationReport& report);
    void clear();

    QTableWidget* table() const { return table_; }
    QString summaryText() const;

private:
    QTableWidget* table_;
    QLabel* summary_;
};
