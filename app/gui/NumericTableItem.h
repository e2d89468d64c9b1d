// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QTableWidgetItem>

// A table cell that shows a formatted number but sorts by its value ("0.950" after "0.100", "10" after "9"); cells
// without a number (an error row) sort before every number.
class NumericTableItem : public QTableWidgetItem {
public:
    NumericTableItem(const QString& text, double value) : QTableWidgetItem(text) { setData(kValueRole, value); }
    // A cell with no number (sorts before every number).
    NumericTableItem() = default;

    bool operator<(const QTableWidgetItem& other) const override
    {
        const QVariant mine = data(kValueRole), theirs = other.data(kValueRole);
        if (!theirs.isValid())
            return false;
        if (!mine.isValid())
            return true;
        return mine.toDouble() < theirs.toDouble();
    }

    static constexpr int kValueRole = Qt::UserRole + 1;
};
