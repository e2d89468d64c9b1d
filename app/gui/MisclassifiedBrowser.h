// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "train/Metrics.h"

#include <QImage>
#include <QStringList>
#include <QWidget>
#include <string>
#include <vector>

class QLabel;
class QPushButton;
class QTableWidget;

// Lists the clips of one confusion cell (or any list of results): spectrogram thumbnail, file, true and
// predicted label, confidence, and per-row Play and "Open in Analyze". Thumbnails and playback are done by
// engine objects; this widget asks for them through signals and shows what it is given.
class MisclassifiedBrowser : public QWidget {
    Q_OBJECT
public:
    explicit MisclassifiedBrowser(QWidget* parent = nullptr);

    void setClips(const QString& title, const std::vector<emoscope::ClipResult>& clips,
                  const std::vector<std::string>& labels);
    void clear(const QString& hint = {});

    QStringList files() const { return files_; } // in display order
    QTableWidget* table() const { return table_; }
    QString title() const;
    void setThumbnail(const QString& file, const QImage& image);
    bool hasThumbnail(const QString& file) const;
    void setPlayingFile(const QString& file); // "" = nothing plays

    static constexpr int kThumbnailColumn = 0;
    static constexpr int kActionsColumn = 5;

Q_SIGNALS:
    void thumbnailsWanted(const QStringList& files);
    void playRequested(const QString& file);
    void openInAnalyzeRequested(const QStringList& files);

private:
    QWidget* makeActions(const QString& file);

    QLabel* title_;
    QPushButton* openAll_;
    QTableWidget* table_;
    QStringList files_;
    QString playing_;
};
