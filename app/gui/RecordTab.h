// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include "engine/LiveSnapshot.h"
#include "infer/Verdict.h"

#include <QStringList>
#include <QWidget>
#include <functional>
#include <vector>

class ColorMap;
class CurrentModel;
class EmotionBarsView;
class LevelMeter;
class QComboBox;
class QLabel;
class InlineMessage;
class QPushButton;
class QStackedWidget;
class QTimer;
class Recorder;
class SpectrogramView;
class WaveformView;

// Record tab: pick an input, watch the level, live waveform/spectrogram and emotion, record a take,
// classify it, save it or send it to Analyze. Recorder does the work; this widget lays out and forwards.
class RecordTab : public QWidget {
    Q_OBJECT
public:
    explicit RecordTab(CurrentModel* model, QWidget* parent = nullptr);
    ~RecordTab() override;

    Recorder* recorder() const { return recorder_; }
    bool hasInputDevice() const;
    QString message() const;
    QComboBox* deviceBox() const { return devices_; }
    QPushButton* recordButton() const { return recordButton_; }
    QPushButton* sendButton() const { return sendButton_; }
    EmotionBarsView* bars() const { return bars_; }
    SpectrogramView* spectrogram() const { return spectrogram_; }
    WaveformView* waveform() const { return waveform_; }
    QLabel* topEmotionLabel() const { return topLabel_; }
    QLabel* noSpeechLabel() const { return noSpeech_; }
    void setColorMap(const ColorMap& map);
    // Writes the last take as WAV (atomic, on a worker). Returns immediately; the outcome goes to the status.
    void saveTake(const QString& path);
    // Before something that would lose the take being recorded or an unsaved one (quit, a new take): asks
    // Save / Discard / Cancel, and calls proceed() once the take is saved or discarded (never on Cancel or a
    // failed save). Calls proceed() at once when there is nothing to lose.
    void settleTake(const QString& question, std::function<void()> proceed);

public Q_SLOTS:
    void toggleRecording();
    void refreshDevices();

Q_SIGNALS:
    void sendToAnalyze(const emoscope::AudioBuffer& audio, const QString& name);
    void statusMessage(const QString& text);
    void takeSaved(const QString& path, const QString& error);

private:
    void showMessage(const QString& text, bool isError);
    void showLive(const LiveSnapshot& snapshot);
    // The headline, and the bars or (no speech) a note instead of them.
    void showVerdict(const QStringList& labels, const std::vector<float>& probabilities, emoscope::VerdictStatus status);
    void updateButtons();
    void onSaveClicked();
    void onTakeSaved(const QString& path, const QString& error);
    QString askSavePath();
    void startRecording(int attemptsLeft);
    // The emotion area before any verdict: the live title, no headline, empty bars.
    void resetVerdict();
    // Back to an empty Record view (the take shown was discarded).
    void clearTakeView();

    CurrentModel* model_;
    Recorder* recorder_;
    QTimer* startRetry_;        // running while a device that does not open yet is tried again (a server restarting)
    int startAttemptsLeft_ = 0; // tries left when startRetry_ fires
    InlineMessage* message_;
    QComboBox* devices_;
    LevelMeter* level_;
    QPushButton* recordButton_;
    QPushButton* saveButton_;
    QPushButton* sendButton_;
    QLabel* time_;
    WaveformView* waveform_;
    SpectrogramView* spectrogram_;
    QLabel* emotionTitle_;
    QLabel* topLabel_;
    EmotionBarsView* bars_;
    QLabel* noSpeech_;
    // Peak of the live window's most recent 2.5 s: 0 when nothing at all reaches the input (muted, unplugged).
    float recentPeak_ = 0.0f;
    QStackedWidget* barsOrNoSpeech_;
};
