// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/TrainingController.h"

#include "infer/Classifier.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardPaths>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>
#include <QFutureWatcher>
#include <exception>

namespace {
// Checkpoints go where the user's application data lives; a fresh name per run so a new run never
// overwrites the last good checkpoint of an earlier one.
QString newCheckpointPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::tempPath() + QStringLiteral("/emoscope");
    dir += QStringLiteral("/checkpoints");
    QDir().mkpath(dir);
    // Keep the checkpoints of the last few runs only; names sort by time.
    constexpr int kKeptRuns = 4;
    const QStringList old = QDir(dir).entryList({QStringLiteral("train-*.ckpt")}, QDir::Files, QDir::Name | QDir::Reversed);
    for (int i = kKeptRuns - 1; i < old.size(); ++i)
        QFile::remove(dir + QLatin1Char('/') + old[i]);
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"));
    return dir + QStringLiteral("/train-") + stamp + QStringLiteral(".ckpt");
}
} // namespace

TrainingController::TrainingController(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<emoscope::BatchProgress>();
    qRegisterMetaType<emoscope::EpochReport>();
}

TrainingController::~TrainingController()
{
    if (thread_) {
        cancel_ = true;
        thread_->wait();
    }
}

bool TrainingController::start(std::shared_ptr<const emoscope::Dataset> dataset, const emoscope::Split& split,
                               emoscope::TrainOptions options)
{
    if (thread_ || !dataset)
        return false;
    cancel_ = false;
    batchesCompleted_ = 0;
    batchesPlanned_ = 0;
    trainer_.reset();
    classifier_.reset();
    result_ = {};
    workerError_.clear();
    if (options.checkpointPath.empty())
        options.checkpointPath = newCheckpointPath().toStdString();
    checkpointPath_ = QString::fromStdString(options.checkpointPath);

    thread_ = QThread::create([this, dataset, split, options] { runOnWorker(dataset, split, options); });
    thread_->setObjectName(QStringLiteral("emoscope-training"));
    connect(thread_, &QThread::finished, this, &TrainingController::onWorkerDone);
    thread_->start(QThread::LowPriority);
    Q_EMIT started();
    return true;
}

void TrainingController::cancel()
{
    cancel_ = true;
}

// Worker thread. Signals are emitted through queued calls on this object, so they run on the GUI thread
// and are dropped if the controller is gone.
void TrainingController::runOnWorker(std::shared_ptr<const emoscope::Dataset> dataset, emoscope::Split split,
                                     emoscope::TrainOptions options)
{
    auto post = [this](auto fn) { QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection); };
    QElapsedTimer sinceBatchSignal;
    sinceBatchSignal.start();
    const int interval = batchIntervalMs_;

    emoscope::TrainCallbacks callbacks;
    callbacks.onPrepare = [&](const std::string& stage, int done, int total) {
        const QString s = QString::fromStdString(stage);
        post([this, s, done, total] { Q_EMIT preparing(s, done, total); });
    };
    callbacks.onBatch = [&](const emoscope::BatchProgress& p) {
        ++batchesCompleted_;
        batchesPlanned_ = p.epochs * p.batches;
        const bool lastOfEpoch = p.batch >= p.batches;
        if (!lastOfEpoch && sinceBatchSignal.elapsed() < interval)
            return;
        sinceBatchSignal.restart();
        post([this, p] { Q_EMIT batchProgress(p); });
    };
    callbacks.onEpoch = [&](const emoscope::EpochReport& r) { post([this, r] { Q_EMIT epochFinished(r); }); };
    callbacks.onLog = [&](const std::string& text) {
        const QString s = QString::fromStdString(text);
        post([this, s] { Q_EMIT logMessage(s); });
    };

    try {
        auto trainer = std::make_shared<emoscope::Trainer>(*dataset, std::move(split), std::move(options));
        result_ = trainer->run(callbacks, &cancel_);
        trainer_ = trainer;
        // A cancel before the first kept epoch leaves nothing worth using.
        if (!result_.history.empty() && result_.bestEpoch > 0)
            classifier_ = trainer->classifier();
    } catch (const std::exception& e) {
        workerError_ = QString::fromStdString(e.what());
    } catch (...) {
        workerError_ = tr("Training failed with an unknown error");
    }
}

void TrainingController::onWorkerDone()
{
    thread_->deleteLater();
    thread_ = nullptr;
    Q_EMIT finished(result_.cancelled, workerError_);
}

QString TrainingController::modelSummary() const
{
    return trainer_ && classifier_ ? QString::fromStdString(trainer_->card().summary()) : QString();
}

void TrainingController::saveModelAsync(const QString& path)
{
    if (!trainer_ || !classifier_ || thread_) {
        Q_EMIT saveFailed(tr("There is no trained model to save"));
        return;
    }
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path] {
        const QString error = watcher->result();
        watcher->deleteLater();
        if (error.isEmpty())
            Q_EMIT saved(path);
        else
            Q_EMIT saveFailed(error);
    });
    // The trainer is shared so a new run started meanwhile cannot pull it away from the save.
    std::shared_ptr<const emoscope::Trainer> trainer = trainer_;
    watcher->setFuture(QtConcurrent::run([trainer, path]() -> QString {
        try {
            trainer->saveModel(path.toStdString());
            return {};
        } catch (const std::exception& e) {
            return QString::fromStdString(e.what());
        }
    }));
}
