// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/PerClassMetricsTable.h"
#include "gui/EmotionColors.h"
#include "gui/TrainTextFormat.h"

#include "train/Metrics.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {
QTableWidgetItem* numberItem(const QString& text)
{
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}
QString percent(double v) { return QString::number(100.0 * v, 'f', 1) + QStringLiteral(" %"); }
} // namespace

PerClassMetricsTable::PerClassMetricsTable(QWidget* parent)
    : QWidget(parent), table_(new QTableWidget(0, 4, this)), summary_(new QLabel(this))
{
    table_->setHorizontalHeaderLabels({tr("Precision"), tr("Recall"), tr("F1"), tr("Clips")});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAccessibleName(tr("Per-class metrics"));
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setWordWrap(true); // the one-line summary is wider than the column beside the matrix
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(table_, 1);
    layout->addWidget(summary_);
    clear();
}

void PerClassMetricsTable::clear()
{
    table_->setRowCount(0);
    summary_->setText(tr("No results yet"));
}

void PerClassMetricsTable::setReport(const emoscope::EvaluationReport& report)
{
    const int n = int(report.labels.size());
    table_->setRowCount(n);
    for (int i = 0; i < n; ++i) {
        // The spelled-out name with the emotion's colour mark, as on the matrix beside it.
        const QString label = QString::fromStdString(report.labels[i]);
        auto* header = new QTableWidgetItem(EmotionColors::displayName(label));
        header->setData(Qt::DecorationRole, EmotionColors::color(label, i));
        table_->setVerticalHeaderItem(i, header);
        int support = 0;
        if (i < int(report.confusion.size()))
            for (int v : report.confusion[i])
                support += v;
        auto at = [i](const std::vector<double>& v) { return i < int(v.size()) ? v[i] : 0.0; };
        table_->setItem(i, 0, numberItem(percent(at(report.precision))));
        table_->setItem(i, 1, numberItem(percent(at(report.recall))));
        table_->setItem(i, 2, numberItem(percent(at(report.f1))));
        table_->setItem(i, 3, numberItem(QString::number(support)));
    }
    QString text = tr("Accuracy %1 · UAR %2 · macro F1 %3 · %4")
                       .arg(percent(report.accuracy), percent(report.uar), percent(report.macroF1),
                            traintext::clips(report.total()));
    if (!report.errors.empty())
        text += tr(" · %1 could not be scored").arg(traintext::files(int(report.errors.size())));
    summary_->setText(text);
}

QString PerClassMetricsTable::summaryText() const
{
    return summary_->text();
}
