// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QMainWindow>
#include <QPointer>
#include <QStringList>

class QActionGroup;
class QLabel;
class QMenu;
class QMimeData;
class QTabWidget;
class CurrentModel;
class AnalyzeTab;
class ModelCardDialog;
class RecordTab;
class TrainTab;

// The top-level window: three tabs over one CurrentModel, menus, status bar, drops, settings.
// Owns no computation.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(CurrentModel* model, QWidget* parent = nullptr);
    ~MainWindow() override;

    QTabWidget* tabs() const { return tabs_; }
    AnalyzeTab* analyzeTab() const { return analyze_; }
    RecordTab* recordTab() const { return record_; }
    TrainTab* trainTab() const { return train_; }

    static QString aboutText();
    // Local files among the mime data's URLs (what a drop would open).
    static QStringList filesFrom(const QMimeData* mime);
    QStringList recentFiles() const;
    QString colorMapName() const;
    // The size a new window opens at: the preferred 1180x800, never larger than `available` (the screen's
    // available geometry, in device-independent pixels: a 1600x1000 screen at scale 2 is 800x500) with its frame.
    static QSize defaultSize(const QSize& available);
    // The file on show in Analyze, as the title names it ("" = none).
    QString shownFileName() const { return shownFile_; }

public Q_SLOTS:
    void openFiles(const QStringList& files);
    void openModel(const QString& path);
    void setColorMap(const QString& name);
    void showAbout();
    void showModelCard();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void rebuildRecentMenu();
    void addRecent(const QStringList& files);
    void removeRecent(const QString& file);
    void updateRecordingIndicator();

    CurrentModel* model_;
    QTabWidget* tabs_;
    AnalyzeTab* analyze_;
    RecordTab* record_;
    TrainTab* train_;
    QMenu* recentMenu_ = nullptr;
    QLabel* recordingBadge_ = nullptr;
    QActionGroup* colorMaps_ = nullptr;
    QPointer<ModelCardDialog> modelCard_;
    QString shownFile_;
};
