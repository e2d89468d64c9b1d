// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include "engine/AnalysisResult.h"
#include "engine/BatchResult.h"

#include <QObject>
#include <QStringList>
#include <atomic>
#include <memory>

class CurrentModel;

// Decodes, featurises and classifies on worker threads (engine::runJob on a shared 2-thread pool) and reports on
// the GUI thread.
// Only the newest job matters: starting one cancels the previous job and results of superseded jobs are
// dropped, so a slow old file can never overwrite what the user asked for last.
class AnalysisEngine : public QObject {
    Q_OBJECT
public:
    explicit AnalysisEngine(CurrentModel* model, QObject* parent = nullptr);
    ~AnalysisEngine() override;

    // Each returns the new job's id.
    quint64 analyzeFile(const QString& path);
    quint64 analyzeAudio(const emoscope::AudioBuffer& audio, const QString& name);
    // Several files; each row gets its true label when the folder or a manifest gives one (BatchResult).
    quint64 classifyBatch(const QStringList& files);
    // Stops the current job. A batch stops after the files in flight (at most one file's time) and still delivers
    // batchFinished with the rows finished so far (BatchResult::cancelled); any other job's result is dropped.
    void cancel();
    bool isBatchRunning() const;

    quint64 currentJob() const { return currentJob_; }

    // Files longer than this stream (AnalysisResult::streamed): bounded memory, progressive overview and timeline,
    // played by decoding again as they play (AudioPlayer::setStream). Shorter ones are decoded whole, as before.
    static constexpr double kStreamSeconds = 600.0;
    bool isBusy() const { return busy_; }

Q_SIGNALS:
    void started(quint64 jobId, const QString& what);
    void analyzed(std::shared_ptr<const AnalysisResult> result); // result->error set on failure
    // A long file's analysis so far (result->partial), at most every 250 ms, before analyzed() delivers the whole.
    void partial(std::shared_ptr<const AnalysisResult> result);
    void batchProgress(int done, int total);
    void batchFinished(std::shared_ptr<const BatchResult> result);

private:
    quint64 beginJob();
    template <typename Result, typename Work, typename Deliver>
    void run(quint64 job, Work work, Deliver deliver);

    CurrentModel* model_;
    quint64 currentJob_ = 0;
    quint64 batchJob_ = 0; // the newest batch's job id (cancel() keeps its partial result)
    bool busy_ = false;
    std::shared_ptr<std::atomic<bool>> cancel_;
};
