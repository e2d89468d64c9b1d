// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/EvaluationController.h"

#include "engine/Async.h"
#include "infer/Classifier.h"
#include "train/Trainer.h"

#include <QThread>
#include <stdexcept>

EvaluationController::EvaluationController(QObject* parent) : QObject(parent)
{
    pool_.setMaxThreadCount(1);
    pool_.setThreadPriority(QThread::LowPriority);
}

EvaluationController::~EvaluationController()
{
    cancel_ = true;
    pool_.waitForDone();
}

bool EvaluationController::start(std::shared_ptr<const emoscope::Classifier> model,
                                 std::shared_ptr<const emoscope::Dataset> dataset, std::vector<int> indices)
{
    return launch(std::move(model), std::move(dataset), std::nullopt, std::move(indices));
}

bool EvaluationController::start(std::shared_ptr<const emoscope::Classifier> model,
                                 std::shared_ptr<const emoscope::Dataset> dataset, const emoscope::SplitSpec& split)
{
    return launch(std::move(model), std::move(dataset), split, {});
}

bool EvaluationController::launch(std::shared_ptr<const emoscope::Classifier> model,
                                  std::shared_ptr<const emoscope::Dataset> dataset,
                                  std::optional<emoscope::SplitSpec> split, std::vector<int> indices)
{
    if (running_ || !model || !dataset)
        return false;
    running_ = true;
    cancel_ = false;
    report_ = {};
    const int total = split ? 0 : indices.empty() ? int(dataset->clips.size()) : int(indices.size());

    auto work = [this, model, dataset, split, indices = std::move(indices)]() mutable {
        if (split) {
            try {
                indices = emoscope::resolveSplit(*dataset, *split).split.test;
            } catch (...) {
                throw std::invalid_argument(tr("cannot split the data: %1").arg(engine::currentExceptionText()).toStdString());
            }
            if (indices.empty())
                throw std::invalid_argument(tr("the chosen split has no test part").toStdString());
        }
        // Progress arrives per clip (on this worker); at most one signal per 50 ms, and the last, reach the GUI.
        engine::ProgressThrottle throttle(50);
        auto onProgress = [&](int done, int all) {
            if (throttle.admit(done >= all))
                QMetaObject::invokeMethod(this, [this, done, all] { Q_EMIT progress(done, all); }, Qt::QueuedConnection);
        };
        report_ = emoscope::evaluateModel(*model, *dataset, indices, onProgress, &cancel_);
        return cancel_.load();
    };
    engine::runJob(
        this, std::move(work),
        [this](const engine::Outcome<bool>& r) {
            running_ = false;
            const bool cancelled = r.ok() && r.value;
            if (cancelled || !r.ok())
                report_ = {};
            Q_EMIT finished(cancelled, r.error);
        },
        &pool_);
    Q_EMIT started(total);
    return true;
}

void EvaluationController::cancel()
{
    cancel_ = true;
}
