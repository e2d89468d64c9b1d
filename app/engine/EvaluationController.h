// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "train/Dataset.h"
#include "train/Metrics.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <vector>

class QThread;

namespace emoscope {
class Classifier;
}

// Scores a model on a dataset (emoscope::evaluateModel) on a worker QThread with progress and cancel,
// for "evaluate only" without training. Lives on the GUI thread; one job at a time.
class EvaluationController : public QObject {
    Q_OBJECT
public:
    explicit EvaluationController(QObject* parent = nullptr);
    ~EvaluationController() override; // cancels and waits for a running job

    // indices empty = every clip. Returns false when a job is already running or an argument is null.
    bool start(std::shared_ptr<const emoscope::Classifier> model, std::shared_ptr<const emoscope::Dataset> dataset,
               std::vector<int> indices = {});
    void cancel();
    bool isRunning() const { return thread_ != nullptr; }

    // Valid after finished() (until the next start()).
    const emoscope::EvaluationReport& report() const { return report_; }

Q_SIGNALS:
    void started(int total);
    void progress(int done, int total);
    // error is empty on success and on cancel; a cancelled run has no report.
    void finished(bool cancelled, const QString& error);

private:
    void onWorkerDone();

    QThread* thread_ = nullptr;
    std::atomic<bool> cancel_{false};
    // Written by the worker, read on the GUI thread only after it has finished.
    emoscope::EvaluationReport report_;
    QString workerError_;
    bool workerCancelled_ = false;
};
