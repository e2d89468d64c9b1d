// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "train/Dataset.h"
#include "train/Metrics.h"

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace emoscope {
class Classifier;
}

// Scores a model on a dataset (emoscope::evaluateModel) on a worker thread with progress and cancel,
// for "evaluate only" without training. Lives on the GUI thread; one job at a time.
class EvaluationController : public QObject {
    Q_OBJECT
public:
    explicit EvaluationController(QObject* parent = nullptr);
    ~EvaluationController() override; // cancels and waits for a running job

    // indices empty = every clip. Returns false when a job is already running or an argument is null.
    bool start(std::shared_ptr<const emoscope::Classifier> model, std::shared_ptr<const emoscope::Dataset> dataset,
               std::vector<int> indices = {});
    // Scores the test part of `split` (emoscope::resolveSplit, made on the worker). A split that cannot be made,
    // or has no test part, ends with finished(false, reason).
    bool start(std::shared_ptr<const emoscope::Classifier> model, std::shared_ptr<const emoscope::Dataset> dataset,
               const emoscope::SplitSpec& split);
    void cancel();
    bool isRunning() const { return running_; }

    // Valid after finished() (until the next start()).
    const emoscope::EvaluationReport& report() const { return report_; }

Q_SIGNALS:
    void started(int total); // 0 when the total is known only after the split
    void progress(int done, int total);
    // error is empty on success and on cancel; a cancelled run has no report.
    void finished(bool cancelled, const QString& error);

private:
    bool launch(std::shared_ptr<const emoscope::Classifier> model, std::shared_ptr<const emoscope::Dataset> dataset,
                std::optional<emoscope::SplitSpec> split, std::vector<int> indices);

    QThreadPool pool_; // one worker thread, low priority
    bool running_ = false;
    std::atomic<bool> cancel_{false};
    // Written by the worker, read on the GUI thread only after it has finished.
    emoscope::EvaluationReport report_;
};
