// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QLabel>

// A message strip at the top of a tab: hidden when empty, red for errors, selectable so a path can be copied.
class InlineMessage : public QLabel {
    Q_OBJECT
public:
    explicit InlineMessage(QWidget* parent = nullptr);
    void display(const QString& text, bool isError);
};
