// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>
#include <QWidget>

class CurrentModel;

// Placeholder: filled in by its own issue.
class AnalyzeTab : public QWidget {
    Q_OBJECT
public:
    explicit AnalyzeTab(CurrentModel* model, QWidget* parent = nullptr);

private:
    CurrentModel* model_;
};
