// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "train/Metrics.h"
#include "train/Personalizer.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QThreadPool>
#include <memory>

class CurrentModel;
class Recorder;
struct RecordedTake;

// The Personalize flow's engine (issue 14), on the GUI thread: the takes folder of one speaker (WAV files plus a
// manifest.csv path,label,speaker, both written atomically, so every take is a file the moment it is recorded), the
// prompt per emotion, recording through its own Recorder, and the adaptation with emoscope::Personalizer on a worker
// (progress, Cancel), then "use", "save as" and "back to the bundled model".
class PersonalizeSession : public QObject {
    Q_OBJECT
public:
    explicit PersonalizeSession(CurrentModel* model, QObject* parent = nullptr);
    ~PersonalizeSession() override; // cancels and waits for a running adaptation

    // engine::dataFolder("personal/<name>"): ~/.local/share/Emoscope/personal/<name> (takes at the old place move)
    static QString defaultFolder(const QString& name);
    // The sentence to read for a label (neutral words; the emotion is in the voice).
    static QString sentence(const QString& label);
    static constexpr int kTakesPerLabel = 4;

    // Opens (creating it if needed) a takes folder and loads the takes its manifest lists (coming back later).
    bool open(const QString& folder, QString* error = nullptr);
    QString folder() const { return folder_; }
    QString speaker() const; // the folder's name
    QStringList labels() const { return labels_; }
    QStringList takes(const QString& label) const; // absolute paths, oldest first
    int totalTakes() const;
    // The first label, after `after`, that still needs takes and was not skipped ("" when none).
    QString nextLabel(const QString& after = {}) const;
    void skip(const QString& label) { skipped_.insert(label); }
    bool isSkipped(const QString& label) const { return skipped_.contains(label); }

    // Recording: the take becomes a WAV file of `label` when it ends (takesChanged or error).
    Recorder* recorder() const { return recorder_; }
    bool startRecording(const QString& label, const QAudioDevice& device);
    QIODevice* startPushed(const QString& label, const QAudioFormat& format); // tests, fake sources
    void stopRecording();
    // Copies an audio file in as a take of label (tests, or takes recorded elsewhere).
    bool importTake(const QString& label, const QString& audioPath, QString* error = nullptr);
    bool deleteTake(const QString& path, QString* error = nullptr);

    // Adaptation. Options other than the base model and speaker come from here (tests set small ones).
    const emoscope::PersonalizeOptions& options() const { return options_; }
    void setOptions(const emoscope::PersonalizeOptions& options) { options_ = options; }
    // Needs the current model and at least two takes of one label (one adapts, one is held back). False and
    // adaptFailed() otherwise.
    bool adapt();
    void cancelAdapt();
    bool isAdapting() const { return adapting_; }
    // The held-back split of the current takes (one per label that has more than one).
    emoscope::Split heldBackSplit() const;

    // Valid after adaptFinished() without error or cancel.
    bool hasPersonalModel() const { return personalizer_ != nullptr; }
    const emoscope::PersonalizeResult& result() const { return result_; }
    QString cardSummary() const;
    QString personalModelPath() const; // <folder>/personal.pt

    // Saves personal.pt (atomically) and makes it the current model; modelSwitched() or error().
    void useModel();
    void saveAs(const QString& path); // saved() or error()
    // The bundled model (Classifier::findDefaultModel, or the path set here); switches CurrentModel back to it.
    void backToBundled();
    void setBundledModelPath(const QString& path) { bundledPath_ = path; }
    QString bundledModelPath() const { return bundledPath_; }

Q_SIGNALS:
    void takesChanged();
    void takeRecorded(const QString& label); // after takesChanged, for a take recorded here (not imported)
    void recordingChanged(bool recording);
    void adaptProgress(const QString& stage, int done, int total);
    void adaptFinished(bool cancelled, const QString& error);
    void modelSwitched(const QString& path);
    void saved(const QString& path);
    void error(const QString& message);

private:
    struct Take {
        QString file; // relative to the folder
        QString label;
    };
    void onTakeFinished(std::shared_ptr<const RecordedTake> take);
    QString newTakePath(const QString& label) const;
    bool writeManifest(QString* error);
    emoscope::Dataset dataset() const;
    void saveModelThen(const QString& path, std::function<void()> then);

    CurrentModel* model_;
    Recorder* recorder_;
    QString folder_;
    QStringList labels_;
    QList<Take> takes_;
    QSet<QString> skipped_;
    QString recordingLabel_;
    QString bundledPath_;
    emoscope::PersonalizeOptions options_;
    QThreadPool pool_; // one low-priority worker
    bool adapting_ = false;
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::shared_ptr<emoscope::Personalizer> personalizer_;
    emoscope::PersonalizeResult result_;
};
