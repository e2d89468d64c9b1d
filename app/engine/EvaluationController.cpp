// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/EvaluationController.h"

#include "infer/Classifier.h"
#include "train/Trainer.h"

#include <QElapsedTimer>
#include <QThread>
#include <exception>

EvaluationController::EvaluationController(QObject* parent) : QObject(parent) {}

EvaluationController::~EvaluationController()
{
    if (thread_) {
        cancel_ = true;
        thread_->wait();
    }
}

bool EvaluationController::start(std::shared_ptr<const emoscope::Classifier> model,
                                 std::shared_ptr<const emoscope::Dataset> dataset, std::vector<int> indices)
{
    if (thread_ || !model || !dataset)
        return false;
    cancel_ = false;
    report_ = {};
    workerError_.clear();
    workerCancelled_ = false;
    const int total = indices.empty() ? int(dataset->clips.size()) : int(indices.size());

    thread_ = QThread::create([this, model, dataset, indices = std::move(indices)] {
        // Progress arrives per clip from several threads; at most one signal per 50 ms reaches the GUI.
        QElapsedTimer sinceSignal;
        sinceSignal.start();
        std::atomic<qint64> lastSignalMs{-1000};
        auto onProgress = [&](int done, int all) {
            const qint64 now = sinceSignal.elapsed();
            qint64 last = lastSignalMs.load();
            if (done < all && (now - last < 50 || !lastSignalMs.compare_exchange_strong(last, now)))
                return;
            QMetaObject::invokeMethod(this, [this, done, all] { Q_EMIT progress(done, all); }, Qt::QueuedConnection);
        };
        try {
            report_ = emoscope::evaluateModel(*model, *dataset, indices, onProgress, &cancel_);
        } catch (const std::exception& e) {
            workerError_ = QString::fromStdString(e.what());
        }
        workerCancelled_ = cancel_.load();
    });
    thread_->setObjectName(QStringLiteral("emoscope-evaluation"));
    connect(thread_, &QThread::finished, this, &EvaluationController::onWorkerDone);
    thread_->start(QThread::LowPriority);
    Q_EMIT started(total);
    return true;
}

void EvaluationController::cancel()
{
    cancel_ = true;
}

void EvaluationController::onWorkerDone()
{
    thread_->deleteLater();
    thread_ = nullptr;
    if (workerCancelled_)
        report_ = {};
    Q_EMIT finished(workerCancelled_, workerError_);
}
