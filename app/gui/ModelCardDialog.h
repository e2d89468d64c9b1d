// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QDialog>

class CurrentModel;
class QTextBrowser;

// Help › Model card: what the current model recognises, what it was trained on and how well it did.
// Non-modal; follows model changes while open.
class ModelCardDialog : public QDialog {
    Q_OBJECT
public:
    explicit ModelCardDialog(CurrentModel* model, QWidget* parent = nullptr);
    QString text() const;
    static QString describe(const CurrentModel& model); // the HTML shown

private:
    void refresh();
    CurrentModel* model_;
    QTextBrowser* view_;
};
