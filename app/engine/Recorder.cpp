// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/Recorder.h"

#include "engine/Async.h"
#include "engine/DataFolder.h"
#include "engine/CaptureSink.h"
#include "engine/CurrentModel.h"
#include "engine/RecorderWorker.h"
#include "engine/SoundServerWatch.h"
#include "audio/SampleRing.h"
#include "audio/WavWriter.h"
#include "infer/Classifier.h"

#include "audio/AudioDecoder.h"

#include <QAudioSource>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMediaDevices>
#include <QPointer>

namespace {
QStringList labelsOf(const emoscope::Classifier& model)
{
    QStringList labels;
    for (const std::string& l : model.labels())
        labels << QString::fromStdString(l);
    return labels;
}
} // namespace

Recorder::Recorder(CurrentModel* model, QObject* parent)
    : QObject(parent), model_(model)
{
    QPointer<Recorder> self(this);
    RecorderWorker::Callbacks callbacks;
    callbacks.liveAudio = [self](emoscope::AudioBuffer window, quint64 take) {
        // Worker thread: hop to the GUI thread, which owns the model and the busy policy.
        QMetaObject::invokeMethod(
            self.data(),
            [self, take, window = std::move(window)]() mutable {
                if (self)
                    self->classifyLive(std::move(window), take);
            },
            Qt::QueuedConnection);
    };
    callbacks.finished = [self](std::shared_ptr<RecordedTake> result, quint64 take) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, result, take] {
                if (self)
                    self->onTakeFinished(result, take);
            },
            Qt::QueuedConnection);
    };
    worker_ = new RecorderWorker(std::move(callbacks));
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_.setObjectName(QStringLiteral("recorder-analysis"));
    thread_.start();

    frameTimer_.setInterval(33); // ~30 fps
    captureTimer_.setInterval(15);
    connect(&frameTimer_, &QTimer::timeout, this, &Recorder::frame);

    // Unplugging a device, or a sound server going away, does not always stop the stream with an error; the
    // device list changing without our input in it is the other sign.
    SoundServerWatch::connectAudioInputsChanged(this, [this] {
        if (!recording_ || !source_)
            return;
        for (const QAudioDevice& d : QMediaDevices::audioInputs())
            if (d.id() == deviceId_)
                return;
        loseDevice();
    });
}

Recorder::~Recorder()
{
    if (source_)
        source_->stop();
    thread_.quit();
    thread_.wait();
    // A take saved or discarded while its recovery copy was still being written: that copy must not outlive us
    // (the next start would offer a take the user already settled).
    engine::waitForJobs(this);
    for (const QString& path : std::as_const(recoveryWrites_))
        if (path != recoveryPath_)
            QFile::remove(path);
}

QIODevice* Recorder::begin(const QAudioFormat& format)
{
    if (recording_)
        stop();
    ++generation_;
    format_ = format;
    const auto model = model_->classifier();
    const emoscope::FeatureConfig config = model ? model->featureConfig() : emoscope::FeatureConfig{};
    // About 20 s of slack at the capture rate before samples would be dropped.
    auto ring = std::make_shared<emoscope::SampleRing>(std::size_t(std::max(format.sampleRate(), 8000)) * 20);
    RecorderWorker* worker = worker_;
    QMetaObject::invokeMethod(
        worker, [worker, config, rate = format.sampleRate(), take = generation_, ring] { worker->begin(config, rate, take, ring); },
        Qt::QueuedConnection);
    sink_ = std::make_unique<CaptureSink>(ring.get(), format, [worker] { worker->wake(); });
    ring_ = ring;
    sink_->open(QIODevice::WriteOnly);
    recording_ = true;
    liveBusy_ = false;
    take_.reset();
    removeRecovery(); // the caller asked about an unsaved take before starting a new one
    setUnsaved(false);
    takeLabels_.clear();
    takeProbabilities_.clear();
    frameTimer_.start();
    Q_EMIT recordingChanged(true);
    return sink_.get();
}

bool Recorder::start(const QAudioDevice& device, Failure failure)
{
    if (device.isNull()) {
        Q_EMIT error(tr("No audio input device to record from."));
        return false;
    }
    QAudioFormat format = device.preferredFormat();
    if (!format.isValid() || format.sampleFormat() == QAudioFormat::Unknown) {
        format.setSampleRate(48000);
        format.setChannelCount(1);
        format.setSampleFormat(QAudioFormat::Int16);
    }
    begin(format);
    deviceId_ = device.id();
    deviceName_ = device.description();
    source_ = std::make_unique<QAudioSource>(device, format);
    // Small device buffers: data arrives every ~20 ms, so the live view can move at 30 fps.
    source_->setBufferSize(format.bytesForDuration(40000));
    connect(source_.get(), &QAudioSource::stateChanged, this, [this](QAudio::State state) {
        if (state == QAudio::StoppedState && source_ && source_->error() != QAudio::NoError && recording_)
            loseDevice();
    });
    // Pull mode polled by our own timer: the backend's push mode hands data over in ~100 ms bursts, too coarse
    // for a live view at 30 fps. The poll only moves bytes into the capture sink (which copies to the ring).
    input_ = source_->start();
    if (input_) {
        connect(input_.data(), &QIODevice::readyRead, this, &Recorder::pollCapture);
        connect(&captureTimer_, &QTimer::timeout, input_.data(), [this] { pollCapture(); });
        captureTimer_.start();
    }
    if (!input_ || source_->error() != QAudio::NoError) {
        // Nothing was recorded: end quietly instead of finishing an empty take ("The take is empty").
        deviceLost_ = true; // do not read the device that did not open
        stop();
        ++generation_; // the worker's finish of this non-take is ignored
        sink_.reset();
        frameTimer_.stop();
        if (failure == Failure::Reported)
            Q_EMIT error(tr("Cannot record from “%1”: the device could not be opened.").arg(device.description()));
        return false;
    }
    return true;
}

QIODevice* Recorder::startPushed(const QAudioFormat& format)
{
    return begin(format);
}

void Recorder::detachInput()
{
    captureTimer_.stop();
    captureTimer_.disconnect();
    if (input_)
        input_->disconnect(this);
    input_ = nullptr;
}

void Recorder::loseDevice()
{
    if (!recording_ || deviceLost_)
        return;
    deviceLost_ = true;
    // Qt has already torn the stream down (or is about to): its device must not be read again. Finish the take
    // later, outside the source's own signal, so the source is not destroyed from inside it.
    detachInput();
    QMetaObject::invokeMethod(
        this,
        [this, generation = generation_] {
            if (!recording_ || generation != generation_)
                return;
            const double seconds = sink_ && format_.sampleRate() > 0 ? double(sink_->framesWritten()) / format_.sampleRate() : 0.0;
            stop();
            const QString message = tr("Recording stopped: “%1” is no longer available (unplugged, or the sound server "
                                       "stopped). The %2 s recorded until then are kept: save them with “Save take as WAV…”.")
                                        .arg(deviceName_)
                                        .arg(seconds, 0, 'f', 1);
            Q_EMIT deviceLost(message);
        },
        Qt::QueuedConnection);
}

void Recorder::stop()
{
    if (!recording_)
        return;
    recording_ = false;
    // What the device still holds belongs to the take, unless the device is gone (then it must not be read).
    if (!deviceLost_ && source_ && source_->error() == QAudio::NoError && source_->state() != QAudio::StoppedState)
        pollCapture();
    detachInput();
    deviceLost_ = false;
    if (source_) {
        source_->stop();
        source_.reset();
    }
    if (sink_)
        sink_->close();
    RecorderWorker* worker = worker_;
    QMetaObject::invokeMethod(worker, [worker] { worker->finish(); }, Qt::QueuedConnection);
    Q_EMIT recordingChanged(false);
}

void Recorder::pollCapture()
{
    if (!input_ || !sink_)
        return;
    const QByteArray bytes = input_->readAll();
    if (!bytes.isEmpty())
        sink_->write(bytes);
}

void Recorder::frame()
{

    if (sink_)
        Q_EMIT levelChanged(double(sink_->takePeak()));
    if (auto snapshot = worker_->takeSnapshot())
        Q_EMIT liveUpdated(*snapshot);
    if (!recording_ && !sink_)
        frameTimer_.stop();
}

void Recorder::classifyLive(emoscope::AudioBuffer window, quint64 generation)
{
    const auto model = model_->classifier();
    if (!model || !recording_ || generation != generation_ || window.samples.empty())
        return;
    if (liveBusy_.exchange(true))
        return; // the previous live classification is still running: drop this one
    engine::runJob(
        this, [model, window = std::move(window)] { return model->judge(window); },
        [this, model, generation](const engine::Outcome<emoscope::Verdict>& r) {
            liveBusy_ = false;
            if (generation == generation_ && recording_ && r.ok())
                Q_EMIT liveProbabilities(labelsOf(*model), r.value.probabilities, r.value.status);
        });
}

void Recorder::onTakeFinished(std::shared_ptr<RecordedTake> take, quint64 generation)
{
    if (generation != generation_)
        return;
    sink_.reset();
    frame(); // show the last columns
    frameTimer_.stop();
    take_ = take;
    if (!take->audio.samples.empty()) { // before anyone hears of it: a listener may save or discard it at once
        setUnsaved(true);
        writeRecovery();
    }
    Q_EMIT takeFinished(take_);
    if (generation != generation_)
        return; // discarded (or a new take begun) by a listener
    classifyTake(take, generation);
}

void Recorder::classifyTake(std::shared_ptr<const RecordedTake> take, quint64 generation)
{
    const auto model = model_->classifier();
    if (!model) {
        Q_EMIT error(tr("The take was recorded but not classified: no model is loaded."));
        return;
    }
    if (take->audio.samples.empty()) {
        Q_EMIT error(tr("The take is empty: no audio arrived from the input device."));
        return;
    }
    engine::runJob(
        this, [model, take] { return model->judge(take->audio); },
        [this, model, generation](const engine::Outcome<emoscope::Verdict>& r) {
            if (generation != generation_)
                return;
            if (!r.ok()) {
                Q_EMIT error(tr("Could not classify the take: %1").arg(r.error));
                return;
            }
            takeLabels_ = labelsOf(*model);
            takeProbabilities_ = r.value.probabilities;
            takeStatus_ = r.value.status;
            Q_EMIT takeClassified(takeLabels_, takeProbabilities_, takeStatus_);
        });
}

void Recorder::saveTake(const QString& path)
{
    const std::shared_ptr<const RecordedTake> take = take_;
    if (!take || take->audio.samples.empty()) {
        Q_EMIT takeSaved(path, tr("There is no take to save yet."));
        return;
    }
    engine::runJob(
        this,
        [take, path] {
            emoscope::writeWavAtomic(engine::toCore(path), take->audio.samples.data(), take->audio.samples.size(),
                                     take->audio.sampleRate);
            return true;
        },
        [this, path, take](const engine::Outcome<bool>& r) {
            if (r.ok() && take == take_) {
                removeRecovery();
                setUnsaved(false);
            }
            Q_EMIT takeSaved(path, r.error);
        });
}

void Recorder::setUnsaved(bool unsaved)
{
    if (unsaved == !takeSaved_)
        return;
    takeSaved_ = !unsaved;
    Q_EMIT unsavedChanged(unsaved);
}

bool Recorder::hasUnsavedTake() const
{
    return !takeSaved_ && take_ && !take_->audio.samples.empty();
}

void Recorder::discardTake()
{
    if (recording_)
        return;
    ++generation_; // a classification still running is about the discarded take
    take_.reset();
    takeLabels_.clear();
    takeProbabilities_.clear();
    removeRecovery();
    setUnsaved(false);
}

QString Recorder::recoveryFolder()
{
    return engine::dataFolder(QStringLiteral("recovery"));
}

void Recorder::writeRecovery()
{
    const std::shared_ptr<const RecordedTake> take = take_;
    if (!take)
        return;
    const QString folder = recoveryFolder();
    const QString path = folder + QStringLiteral("/take-%1.wav").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")));
    recoveryPath_ = path;
    recoveryWrites_.append(path);
    engine::runJob(
        this,
        [take, folder, path] {
            QDir().mkpath(folder);
            emoscope::writeWavAtomic(engine::toCore(path), take->audio.samples.data(), take->audio.samples.size(),
                                     take->audio.sampleRate);
            return true;
        },
        [this, path](const engine::Outcome<bool>& r) {
            recoveryWrites_.removeOne(path);
            if (path != recoveryPath_) // saved or discarded while it was being written
                QFile::remove(path);
            else if (!r.ok())
                Q_EMIT error(tr("Could not write the recovery copy of the take (%1): save it before quitting.").arg(r.error));
        });
}

void Recorder::removeRecovery()
{
    if (!recoveryPath_.isEmpty())
        QFile::remove(recoveryPath_);
    recoveryPath_.clear();
}

void Recorder::restoreRecoveredTake()
{
    if (recording_ || take_)
        return;
    const QFileInfoList files = QDir(recoveryFolder()).entryInfoList({QStringLiteral("take-*.wav")}, QDir::Files, QDir::Time);
    if (files.isEmpty())
        return;
    const QString path = files.first().absoluteFilePath();
    const QDateTime when = files.first().lastModified();
    const auto model = model_->classifier();
    const emoscope::FeatureConfig config = model ? model->featureConfig() : emoscope::FeatureConfig{};
    engine::runJob(
        this,
        [path, config] {
            emoscope::DecodeOptions options;
            options.targetSampleRate = 0;
            options.maxSeconds = 0;
            auto take = std::make_shared<RecordedTake>();
            take->audio = emoscope::loadAudio(engine::toCore(path), options);
            take->features = config;
            return std::shared_ptr<const RecordedTake>(take);
        },
        [this, path, when](const engine::Outcome<std::shared_ptr<const RecordedTake>>& r) {
            if (recording_ || take_)
                return; // the user started a new take meanwhile; the file stays for the next start
            if (!r.ok() || r.value->audio.samples.empty()) {
                Q_EMIT error(tr("An unsaved take was left by an earlier run in %1, but it cannot be read: %2")
                                 .arg(path, r.ok() ? tr("it is empty") : r.error));
                return;
            }
            ++generation_;
            take_ = r.value;
            recoveryPath_ = path;
            setUnsaved(true);
            Q_EMIT takeRecovered(take_, when);
            classifyTake(take_, generation_);
        });
}
