// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include "engine/AnalysisResult.h"
#include "engine/BatchResult.h"

#include <QStringList>
#include <QWidget>
#include <memory>

class AnalysisEngine;
class AudioPlayer;
class ColorLegend;
class ColorMap;
class CurrentModel;
class EmotionBarsView;
class QLabel;
class InlineMessage;
class QProgressBar;
class QStackedWidget;
class QPushButton;
class QTableWidget;
class SpectrogramView;
class TimelineChartView;
class WaveformView;

// Analyze tab: one file in detail (waveform, spectrogram, emotion bars, timeline, playback) or several in a
// results table. All work happens in AnalysisEngine; this widget only lays out and forwards.
class AnalyzeTab : public QWidget {
    Q_OBJECT
public:
    explicit AnalyzeTab(CurrentModel* model, QWidget* parent = nullptr);
    ~AnalyzeTab() override;

    // One file: detail view. Several: results table, then the first one in detail.
    void openFiles(const QStringList& files);
    void analyzeAudio(const emoscope::AudioBuffer& audio, const QString& name);
    void setColorMap(const ColorMap& map);
    // Writes the results table (atomic). Returns "" or the reason it failed.
    QString exportCsv(const QString& path);

    QString message() const;
    // Inline message above the views (also sent to the status bar). Empty text hides it.
    void showMessage(const QString& text, bool isError);
    std::shared_ptr<const AnalysisResult> result() const { return result_; }
    std::shared_ptr<const BatchResult> batch() const { return batch_; }
    AnalysisEngine* engine() const { return engine_; }
    AudioPlayer* player() const { return player_; }
    EmotionBarsView* bars() const { return bars_; }
    SpectrogramView* spectrogram() const { return spectrogram_; }
    WaveformView* waveform() const { return waveform_; }
    TimelineChartView* timeline() const { return timeline_; }
    QTableWidget* resultsTable() const { return table_; }
    QLabel* topEmotionLabel() const { return topLabel_; }
    // Shown instead of the bars when the clip has too little speech to name an emotion.
    QLabel* noSpeechLabel() const { return noSpeech_; }
    QPushButton* playButton() const { return playButton_; }
    QPushButton* cancelButton() const { return cancelButton_; } // shown while a long file streams

Q_SIGNALS:
    void statusMessage(const QString& text);
    // After the views show a result (or its error).
    void analysisShown(std::shared_ptr<const AnalysisResult> result);
    void batchShown(std::shared_ptr<const BatchResult> result);

private:
    void showResult(std::shared_ptr<const AnalysisResult> result);
    void showPartial(std::shared_ptr<const AnalysisResult> result);
    void showOverview(const AnalysisResult& result);
    void showBatch(std::shared_ptr<const BatchResult> result);
    void clearViews();
    void onExportClicked();
    void updatePlayButton();
    void setCursorSeconds(double seconds); // the playback cursor (not QWidget::setCursor)

    CurrentModel* model_;
    AnalysisEngine* engine_;
    AudioPlayer* player_;
    InlineMessage* message_;
    QLabel* title_;
    QPushButton* playButton_;
    QPushButton* cancelButton_ = nullptr;
    WaveformView* waveform_;
    SpectrogramView* spectrogram_;
    QLabel* readout_;
    QLabel* topLabel_;
    EmotionBarsView* bars_;
    QLabel* noSpeech_;
    QStackedWidget* barsOrNoSpeech_;
    TimelineChartView* timeline_;
    QWidget* resultsPanel_;
    QTableWidget* table_;
    QPushButton* exportButton_;
    QProgressBar* progress_;
    std::shared_ptr<const AnalysisResult> result_;
    std::shared_ptr<const BatchResult> batch_;
    QString batchProblem_;  // kept visible while the batch's files are looked at in detail
    QString pendingDetail_; // first file of a batch, analyzed in detail once the table is filled
    bool replacesBatch_ = false; // the pending analysis is a file opened on its own: it replaces the table once it opens
    // Clarity (issue 10): which model classifies, and the spectrogram's dB scale.
    QLabel* modelName_ = nullptr;  // objectName "modelName"
    ColorLegend* legend_ = nullptr; // objectName "colorLegend"
};
