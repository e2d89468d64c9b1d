// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/SaliencyJob.h"

#include "audio/AudioDecoder.h"
#include "audio/AudioStreamReader.h"
#include "dsp/LogMelExtractor.h"
#include "dsp/MelFilterbank.h"
#include "infer/Classifier.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

SaliencyJob::SaliencyJob(QObject* parent) : QObject(parent)
{
    pool_.setMaxThreadCount(1);
    pool_.setThreadPriority(QThread::LowPriority);
}

SaliencyJob::~SaliencyJob()
{
    cancel();
    engine::waitForJobs(this);
    pool_.waitForDone();
}

void SaliencyJob::cancel()
{
    if (cancel_)
        cancel_->store(true);
    ++lastId_; // whatever is still running is no longer wanted
    running_ = false;
}

quint64 SaliencyJob::explainLogMel(std::shared_ptr<const emoscope::Classifier> model, emoscope::MelMatrix logMelDb,
                                   const QString& source, int classIndex)
{
    return start(std::move(model), source, classIndex,
                 [logMelDb = std::move(logMelDb)](const engine::CancelFlag&) { return logMelDb; });
}

quint64 SaliencyJob::explainFile(std::shared_ptr<const emoscope::Classifier> model, const QString& file, int classIndex)
{
    const emoscope::FeatureConfig config = model ? model->featureConfig() : emoscope::FeatureConfig{};
    return start(std::move(model), file, classIndex, [file, config](const engine::CancelFlag& cancel) {
        emoscope::DecodeOptions decode;
        decode.targetSampleRate = config.sampleRate;
        decode.maxSeconds = 0; // any length: only the first kMaxFileSeconds are read, block by block
        emoscope::AudioStreamReader reader(engine::toCore(file), decode);
        const std::size_t wanted = std::size_t(kMaxFileSeconds * config.sampleRate);
        std::vector<float> samples;
        while (samples.size() < wanted && !cancel->load() && reader.read(samples)) {
        }
        samples.resize(std::min(samples.size(), wanted));
        if (samples.empty())
            throw std::runtime_error("no audio");
        return emoscope::LogMelExtractor(config).logMel(samples.data(), samples.size());
    });
}

quint64 SaliencyJob::start(std::shared_ptr<const emoscope::Classifier> model, const QString& source, int classIndex,
                           Work logMelOf)
{
    cancel();
    const quint64 id = ++lastId_;
    cancel_ = engine::newCancelFlag();
    if (!model) {
        QMetaObject::invokeMethod(
            this, [this, id, source] { Q_EMIT failed(id, source, tr("No model loaded: nothing to explain")); },
            Qt::QueuedConnection);
        return id;
    }
    running_ = true;
    QStringList labels;
    for (const std::string& label : model->labels())
        labels << QString::fromStdString(label);
    emoscope::SaliencyOptions o = options;
    o.classIndex = classIndex;
    engine::runJob(
        this,
        [model, source, labels, o, id, cancel = cancel_, logMelOf = std::move(logMelOf)]() {
            auto r = std::make_shared<SaliencyResult>();
            r->id = id;
            r->source = source;
            r->labels = labels;
            if (cancel->load())
                return std::shared_ptr<const SaliencyResult>();
            r->logMelDb = logMelOf(cancel);
            r->melCentresHz = emoscope::MelFilterbank(model->featureConfig()).centreFrequencies();
            r->map = emoscope::explainLogMel(*model, r->logMelDb, o, cancel.get());
            if (cancel->load())
                return std::shared_ptr<const SaliencyResult>();
            return std::shared_ptr<const SaliencyResult>(std::move(r));
        },
        [this, id, source](const engine::Outcome<std::shared_ptr<const SaliencyResult>>& out) {
            if (id != lastId_)
                return; // superseded or cancelled
            running_ = false;
            if (!out.ok())
                Q_EMIT failed(id, source, out.error.contains(source) ? out.error : source + QStringLiteral(": ") + out.error);
            else if (out.value)
                Q_EMIT finished(out.value);
        },
        &pool_);
    return id;
}
