// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/TrainingController.h"

#include "engine/Async.h"
#include "infer/Classifier.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

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
    // One run at a time, below the GUI's priority.
    pool_.setMaxThreadCount(1);
    pool_.setThreadPriority(QThread::LowPriority);
}

TrainingController::~TrainingController()
{
    cancel_ = true;
    pool_.waitForDone();
}

bool TrainingController::start(std::shared_ptr<const emoscope::Dataset> dataset, const emoscope::SplitSpec& requested,
                               emoscope::TrainOptions options)
{
    if (running_ || !dataset)
        return false;
    running_ = true;
    cancel_ = false;
    batchesCompleted_ = 0;
    batchesPlanned_ = 0;
    trainer_.reset();
    classifier_.reset();
    result_ = {};
    workerError_.clear();
    split_ = {};
    splitFailed_ = false;
    if (options.checkpointPath.empty())
        options.checkpointPath = engine::toCore(newCheckpointPath());
    checkpointPath_ = engine::fromCore(options.checkpointPath);

    engine::runJob(
        this,
        [this, dataset, requested, options] {
            runOnWorker(dataset, requested, options);
            return true;
        },
        [this](const engine::Outcome<bool>& r) {
            running_ = false;
            workerError_ = r.error;
            removeCheckpoint();
            Q_EMIT finished(result_.cancelled, workerError_);
        },
        &pool_);
    Q_EMIT started();
    return true;
}

std::optional<emoscope::TrainOptions> TrainingController::optionsFor(const TrainRequest& request,
                                                                   QString* problem) const
{
    emoscope::TrainOptions options = baseOptions_;
    options.epochs = request.epochs;
    options.batchSize = request.batchSize;
    options.maxLearningRate = request.learningRate;
    options.augment.specAugment = request.augment.specAugment;
    options.augment.timeShift = request.augment.timeShift;
    options.augment.gain = request.augment.gain;
    options.augment.noise = request.augment.noise;
    options.balancedSampling = request.balancedSampling;
    options.fromModel = request.startModel ? std::optional<std::string>(engine::toCore(*request.startModel))
                                           : std::nullopt;
    options.command = "emoscope GUI, Train tab";
    try {
        options.validate();
    } catch (const emoscope::TrainOptionsError& e) {
        if (problem)
            *problem = e.option() == emoscope::TrainOption::FromModel
                           ? tr("Choose the model file to start from, or start from scratch")
                           : engine::fromCore(e.what());
        return std::nullopt;
    }
    return options;
}

// The GUI never resumes a run, and the kept model lives in memory (classifier()) until saved: a run's
// checkpoint (about 20 MB) is of no use once the run ends, so it goes, and the log says so.
void TrainingController::removeCheckpoint()
{
    if (checkpointPath_.isEmpty())
        return;
    if (!QFileInfo::exists(checkpointPath_)) {
        Q_EMIT logMessage(tr("No checkpoint was written."));
    } else if (QFile::remove(checkpointPath_)) {
        Q_EMIT logMessage(tr("Checkpoint %1 removed (the run has ended).").arg(checkpointPath_));
    } else {
        Q_EMIT logMessage(tr("Could not remove the checkpoint %1.").arg(checkpointPath_));
        return;
    }
    checkpointPath_.clear();
}

void TrainingController::cancel()
{
    cancel_ = true;
}

// Worker thread. Signals are emitted through queued calls on this object, so they run on the GUI thread
// and are dropped if the controller is gone. Throws on failure (the job's outcome carries the reason).
void TrainingController::runOnWorker(std::shared_ptr<const emoscope::Dataset> dataset,
                                     const emoscope::SplitSpec& requested, emoscope::TrainOptions options)
{
    auto post = [this](auto fn) { QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection); };
    try {
        split_ = emoscope::resolveSplit(*dataset, requested);
    } catch (...) {
        splitFailed_ = true;
        throw;
    }
    options.splitDescription = split_.description;
    post([this, train = int(split_.split.train.size()), test = int(split_.split.test.size()),
          description = engine::fromCore(split_.description)] { Q_EMIT splitReady(train, test, description); });

    engine::ProgressThrottle batchThrottle(batchIntervalMs_);
    emoscope::TrainCallbacks callbacks;
    callbacks.onPrepare = [&](const std::string& stage, int done, int total) {
        post([this, s = engine::fromCore(stage), done, total] { Q_EMIT preparing(s, done, total); });
    };
    callbacks.onBatch = [&](const emoscope::BatchProgress& p) {
        ++batchesCompleted_;
        batchesPlanned_ = p.epochs * p.batches;
        if (batchThrottle.admit(p.batch >= p.batches)) // the last batch of an epoch always gets one
            post([this, p] { Q_EMIT batchProgress(p); });
    };
    callbacks.onEpoch = [&](const emoscope::EpochReport& r) { post([this, r] { Q_EMIT epochFinished(r); }); };
    callbacks.onLog = [&](const std::string& text) { post([this, s = engine::fromCore(text)] { Q_EMIT logMessage(s); }); };

    auto trainer = std::make_shared<emoscope::Trainer>(*dataset, split_.split, std::move(options));
    result_ = trainer->run(callbacks, &cancel_);
    trainer_ = trainer;
    // A cancel before the first kept epoch leaves nothing worth using.
    if (!result_.history.empty() && result_.bestEpoch > 0)
        classifier_ = trainer->classifier();
}

QString TrainingController::modelSummary() const
{
    return trainer_ && classifier_ ? engine::fromCore(trainer_->card().summary()) : QString();
}

void TrainingController::saveModelAsync(const QString& path)
{
    if (!trainer_ || !classifier_ || running_) {
        Q_EMIT saveFailed(tr("There is no trained model to save"));
        return;
    }
    // The trainer is shared so a new run started meanwhile cannot pull it away from the save.
    std::shared_ptr<const emoscope::Trainer> trainer = trainer_;
    engine::runJob(
        this,
        [trainer, path] {
            trainer->saveModel(engine::toCore(path));
            return true;
        },
        [this, path](const engine::Outcome<bool>& r) {
            if (r.ok())
                Q_EMIT saved(path);
            else
                Q_EMIT saveFailed(r.error);
        });
}
