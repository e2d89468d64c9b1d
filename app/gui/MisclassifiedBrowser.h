// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "gui/ColorMap.h"
#include "train/Metrics.h"

#include <QHash>
#include <QImage>
#include <QStringList>
#include <QWidget>
#include <memory>
#include <string>
#include <vector>

namespace emoscope {
class Classifier;
struct MelMatrix;
}
class QCheckBox;
class QLabel;
class QPushButton;
class QTableWidget;
class SaliencyJob;
class SpectrogramView;

// Lists the clips of one confusion cell (or any list of results): spectrogram thumbnail, file, true and
// predicted label, confidence, and per-row Play and "Open in Analyze". Thumbnails and playback are done by
// engine objects; this widget asks for them through signals and shows what it is given. Selecting a row shows the
// clip larger below the list, with "Explain": where the model found the (wrong) label it predicted, computed by a
// SaliencyJob with the evaluated model (setExplainModel).
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
    // A dB thumbnail (0 = loudest, -80 = floor; mels upwards), drawn with the colour map and redrawn when it changes.
    void setThumbnail(const QString& file, const std::shared_ptr<const emoscope::MelMatrix>& db);
    void setColorMap(const ColorMap& map);
    const ColorMap& colorMap() const { return colorMap_; }
    // The model whose predictions are listed; the selected clip is explained with it (null: no explanation).
    void setExplainModel(std::shared_ptr<const emoscope::Classifier> model);
    SpectrogramView* detailView() const { return detail_; }
    QCheckBox* explainBox() const { return explain_; }
    SaliencyJob* saliency() const { return saliency_; }
    bool hasThumbnail(const QString& file) const;
    void setPlayingFile(const QString& file); // "" = nothing plays

    // At least a thumbnail and a file name of kNameChars characters (the longest TESS and RAVDESS names) wide.
    QSize minimumSizeHint() const override;

    static constexpr int kThumbnailColumn = 0;
    static constexpr int kFileColumn = 1;
    static constexpr int kTrueColumn = 2;
    static constexpr int kPredictedColumn = 3;
    static constexpr int kConfidenceColumn = 4;
    static constexpr int kActionsColumn = 5;
    static constexpr int kThumbnailWidth = 128; // the column; the picture is 8 px narrower
    static constexpr int kNameChars = 24;

Q_SIGNALS:
    void thumbnailsWanted(const QStringList& files);
    void playRequested(const QString& file);
    void openInAnalyzeRequested(const QStringList& files);

private:
    QWidget* makeActions(const QString& file);
    void showDetail(int row); // the selected clip, larger, explained when Explain is on

    QLabel* title_;
    QPushButton* openAll_;
    QTableWidget* table_;
    QStringList files_;
    std::vector<int> predicted_; // per row, the label the model gave
    QString playing_;
    ColorMap colorMap_;
    QHash<QString, std::shared_ptr<const emoscope::MelMatrix>> thumbnailDb_;
    std::shared_ptr<const emoscope::Classifier> model_;
    QWidget* detailPanel_;
    QLabel* detailTitle_;
    QCheckBox* explain_;
    SpectrogramView* detail_;
    SaliencyJob* saliency_;
    QString detailFile_; // the clip the detail view shows (or is loading)
};
