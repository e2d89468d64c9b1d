// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include "engine/AnalysisResult.h"
#include "engine/BatchResult.h"
#include "gui/TimeViewport.h"

#include <QStringList>
#include <QWidget>
#include <memory>

class AnalysisEngine;
class AudioPlayer;
class ColorLegend;
class ColorMap;
class CurrentModel;
class EmotionBarsView;
class QGridLayout;
class QLabel;
class InlineMessage;
class QProgressBar;
class QLayout;
class QScrollBar;
class QStackedWidget;
class SaliencyJob;
class QPushButton;
class QTableWidget;
class QToolButton;
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
    // --- Explain (saliency overlay) ---
    QPushButton* explainButton() const { return explainButton_; }
    SaliencyJob* saliency() const { return saliency_; }
    // --- end explain ---

    // ---- issue 10: true headline, export, batch table ----
    // The Export menu's entries: probabilities and timeline in emoscope-cli's formats (classify/timeline --csv,
    // --json), the spectrogram view as PNG.
    enum class ExportKind { ProbabilitiesCsv, ProbabilitiesJson, TimelineCsv, TimelineJson, SpectrogramPng };
    // Writes what is shown (atomic, on a worker); exportFinished reports the outcome, and a failure is shown.
    void exportResult(ExportKind kind, const QString& path);
    QLabel* segmentsLabel() const { return segments_; }         // a Mixed headline's segments
    QLabel* batchSummaryLabel() const { return batchSummary_; } // n files, accuracy and UAR when labels are known
    QToolButton* exportMenuButton() const { return exportMenu_; }
    // Columns of the results table (the true label and the mark only when labels are known).
    int batchColumn(const QString& header) const;
    // --- Zoom, scroll and selection (issue 10, item 1) ---
    // The time axis the waveform, spectrogram and timeline share.
    TimeViewport* timeViewport() const { return timeViewport_; }
    QScrollBar* timeScrollBar() const { return timeScroll_; }
    QLabel* positionReadout() const { return positionReadout_; }
    QLabel* selectionCaption() const { return selectionCaption_; }
    // Plays the selection and stops at its end.
    void playSelection();
    // Classifies the selected samples on a worker (its own AnalysisEngine, so the file's result stays); the bars
    // then show the selection's result with a caption, until showWholeFileResult().
    void classifySelection();
    void showWholeFileResult();
    AnalysisEngine* selectionEngine() const { return selectionEngine_; }
    std::shared_ptr<const AnalysisResult> selectionResult() const { return selectionResult_; }
    // --- end zoom, scroll and selection ---

Q_SIGNALS:
    void exportFinished(const QString& path, const QString& error); // error "" on success
    void statusMessage(const QString& text);
    void selectionAnalysisShown(std::shared_ptr<const AnalysisResult> result); // or its error
    // After the views show a result (or its error).
    void analysisShown(std::shared_ptr<const AnalysisResult> result);
    void batchShown(std::shared_ptr<const BatchResult> result);

private:
    void showResult(std::shared_ptr<const AnalysisResult> result);
    void showPartial(std::shared_ptr<const AnalysisResult> result);
    void showOverview(const AnalysisResult& result);
    void showTimeline(bool shown);
    void showBatch(std::shared_ptr<const BatchResult> result);
    void clearViews();
    void onExportClicked();
    void updatePlayButton();
    void setCursorSeconds(double seconds); // the playback cursor (not QWidget::setCursor)
    // ---- issue 10 ----
    QString showHeadline(const AnalysisResult& result); // sets the headline and its segments; returns the text
    void buildExportMenu();
    void onExportResultRequested(ExportKind kind);
    void fillBatchTable(const BatchResult& result);
    QString batchSummaryText(const BatchResult& result) const;
    void cancelBatch();
    void giveTableItsShare();

    // --- Zoom, scroll and selection ---
    QLayout* setupTimeNavigation(); // actions, context menu, scroll bar and read-out row (returned, for the views column)
    void updateTimeViewport(const AnalysisResult& r);
    void syncScrollBar();
    void updatePositionReadout();
    void updateSelectionActions();
    void showTimeMenu(QWidget* view, const QPoint& pos);
    void showSelectionResult(std::shared_ptr<const AnalysisResult> result);
    void dropSelectionResult();

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
    QGridLayout* viewGrid_ = nullptr; // waveform, spectrogram (+ legend), timeline: one time column
    QWidget* resultsPanel_;
    QTableWidget* table_;
    QPushButton* exportButton_;
    QProgressBar* progress_;
    std::shared_ptr<const AnalysisResult> result_;
    std::shared_ptr<const BatchResult> batch_;
    QString batchProblem_;  // kept visible while the batch's files are looked at in detail
    QString pendingDetail_; // first file of a batch, analyzed in detail once the table is filled
    bool replacesBatch_ = false; // the pending analysis is a file opened on its own: it replaces the table once it opens
    // ---- issue 10 ----
    QLabel* segments_ = nullptr;
    QLabel* batchSummary_ = nullptr;
    QToolButton* exportMenu_ = nullptr;
    // --- Explain (saliency overlay) ---
    QWidget* makeExplainToggle(); // the checkable "Explain" button, its job and their connections
    QPushButton* explainButton_ = nullptr;
    SaliencyJob* saliency_ = nullptr;
    std::shared_ptr<const AnalysisResult> explained_; // the result whose overlay the spectrogram holds (or is coming)
    // --- end explain ---

    // --- Zoom, scroll and selection ---
    TimeViewport* timeViewport_ = nullptr;
    QScrollBar* timeScroll_ = nullptr;
    QLabel* positionReadout_ = nullptr;
    QWidget* selectionCaptionRow_ = nullptr; // above the bars while they show a selection's result
    QLabel* selectionCaption_ = nullptr;
    AnalysisEngine* selectionEngine_ = nullptr;
    std::shared_ptr<const AnalysisResult> selectionResult_;
    TimeRange selectionRange_; // what selectionEngine_ classifies or last classified
    TimeRange shownSelectionRange_; // the range of selectionResult_ (an export of the bars names it)
    QString viewportSource_;  // the file the viewport was last reset for
    quint64 viewportJob_ = 0;
    bool syncingScroll_ = false;
    QString wholeFileHeadline_; // what the bars' headline said before a selection's result replaced it
    QString wholeFileNoSpeech_;
    int wholeFilePage_ = 0;
    QAction* playSelectionAction_ = nullptr;
    QAction* classifySelectionAction_ = nullptr;
    QAction* zoomToSelectionAction_ = nullptr;
    QAction* clearSelectionAction_ = nullptr;
    QAction* fitAction_ = nullptr;
    // Clarity (issue 10): which model classifies, and the spectrogram's dB scale.
    QLabel* modelName_ = nullptr;  // objectName "modelName"
    ColorLegend* legend_ = nullptr; // objectName "colorLegend"
};
