// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QMainWindow>
#include <QStringList>

class QTabWidget;
class CurrentModel;
class AnalyzeTab;
class RecordTab;
class TrainTab;

// The top-level window: three tabs over one CurrentModel, menus, status bar. Owns no computation.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(CurrentModel* model, QWidget* parent = nullptr);

    QTabWidget* tabs() const { return tabs_; }
    AnalyzeTab* analyzeTab() const { return analyze_; }
    RecordTab* recordTab() const { return record_; }
    TrainTab* trainTab() const { return train_; }

public Q_SLOTS:
    void openFiles(const QStringList& files);
    void showAbout();

private:
    void buildMenus();

    CurrentModel* model_;
    QTabWidget* tabs_;
    AnalyzeTab* analyze_;
    RecordTab* record_;
    TrainTab* train_;
};
