// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/AnalysisEngine.h"

#include "audio/AudioDecoder.h"
#include "audio/AudioStreamReader.h"
#include "audio/Resampler.h"
#include "dsp/LogMelExtractor.h"
#include "dsp/MelFilterbank.h"
#include "engine/Async.h"
#include "engine/CurrentModel.h"
#include "engine/OverviewBuilder.h"
#include "train/BatchLabels.h"

#include <QPointer>
#include <algorithm>
#include <QThreadPool>
#include <functional>
#include <mutex>
#include <stdexcept>

namespace {

using Cancel = engine::CancelFlag;
using Model = std::shared_ptr<const emoscope::Classifier>;

// Shared by every engine; each engine waits for its own jobs when it is destroyed, so none runs during exit.
QThreadPool* analysisPool()
{
    static QThreadPool pool;
    static const bool configured = [] {
        pool.setMaxThreadCount(2); // a superseded job may still be finishing while the new one starts
        return true;
    }();
    Q_UNUSED(configured);
    return &pool;
}

QString withFileName(const QString& source, const QString& reason)
{
    // Core errors already read "<path>: <reason>"; only add the name when it is missing.
    return reason.contains(source) ? reason : source + QStringLiteral(": ") + reason;
}

struct Cancelled {};
void checkCancel(const Cancel& cancel)
{
    if (cancel->load())
        throw Cancelled{};
}

// Fills everything but the decoding: spectrogram, probabilities, timeline. audio is at config.sampleRate.
void describe(AnalysisResult& r, const Model& model, const Cancel& cancel)
{
    const emoscope::FeatureConfig config = model ? model->featureConfig() : emoscope::FeatureConfig{};
    const emoscope::LogMelExtractor extractor(config);
    // The view's dB: digital silence dark, at the floor, not 0 dB everywhere as in the model's features. Such a clip
    // is always no_speech, and Explain (which reads logMelDb) does not run on no_speech.
    r.logMelDb = extractor.displayLogMel(r.audio.samples.data(), r.audio.samples.size());
    r.melCentresHz = emoscope::MelFilterbank(config).centreFrequencies();
    r.hopSeconds = double(config.hopLength) / config.sampleRate;
    checkCancel(cancel);
    if (!model) {
        r.note = QObject::tr("No model loaded: open one with File › Open model…");
        return;
    }
    for (const std::string& label : model->labels())
        r.labels << QString::fromStdString(label);
    const emoscope::TimelineOptions timeline;
    emoscope::Verdict verdict;
    if (r.audio.durationSeconds() > emoscope::Classifier::kLongFileSeconds) {
        // As the CLI classifies a long file (Classifier::judgeFile): the summary of its speech windows, so the bars
        // and an export equal `emoscope-cli classify` for the same file.
        emoscope::SpeechActivity speech;
        r.timeline = model->timeline(r.audio, timeline, &speech);
        verdict = emoscope::summarizeTimeline(r.timeline, speech, model->card().calibration);
        r.headline = emoscope::headlineFor(verdict, r.timeline); // a shorter file keeps the clip's headline, as in the CLI
    } else {
        verdict = model->judge(r.audio); // probabilities + voice activity, on this worker
        checkCancel(cancel);
        if (r.audio.durationSeconds() > timeline.windowSeconds)
            r.timeline = model->timeline(r.audio, timeline);
    }
    r.probabilities = std::move(verdict.probabilities);
    r.status = verdict.status;
    r.speechSeconds = verdict.speechSeconds;
}

using PartialSink = std::function<void(std::shared_ptr<AnalysisResult>)>;

// A long file, streamed: the overview (OverviewBuilder) and the timeline grow block by block; a snapshot goes to
// `partial` at most every 250 ms. Memory stays at the overview's few MB whatever the length: the samples pass by.
void analyzeLongFile(AnalysisResult& r, const std::string& file, double headerSeconds, const Model& model,
                     const Cancel& cancel, const PartialSink& partial)
{
    r.streamed = true;
    const emoscope::FeatureConfig config = model ? model->featureConfig() : emoscope::FeatureConfig{};
    OverviewBuilder overview(config, headerSeconds);
    r.melCentresHz = emoscope::MelFilterbank(config).centreFrequencies();
    if (model)
        for (const std::string& label : model->labels())
            r.labels << QString::fromStdString(label);
    engine::ProgressThrottle throttle(250);
    double done = 0;
    const auto fill = [&](AnalysisResult& out) {
        out.peaks = overview.peaks();
        out.peakSeconds = overview.peakSeconds();
        out.logMelDb = overview.spectrogramDb();
        out.hopSeconds = overview.columnSeconds();
        out.streamedSeconds = done;
        out.progress = headerSeconds > 0 ? std::min(1.0, done / headerSeconds) : -1.0;
    };
    const auto snapshot = [&] {
        if (!throttle.admit()) return;
        auto p = std::make_shared<AnalysisResult>(r);
        fill(*p);
        p->partial = true;
        partial(std::move(p));
    };
    emoscope::DecodeOptions decode;
    decode.maxSeconds = 0; // no fixed limit: memory does not grow with the length
    if (!model) {
        decode.targetSampleRate = config.sampleRate;
        emoscope::AudioStreamReader reader(file, decode);
        std::vector<float> block;
        for (bool more = true; more;) {
            checkCancel(cancel);
            block.clear();
            more = reader.read(block);
            overview.push(block.data(), block.size());
            done += double(block.size()) / config.sampleRate;
            snapshot();
        }
        fill(r);
        r.note = QObject::tr("No model loaded: open one with File › Open model…");
        return;
    }
    emoscope::TimelineStreamCallbacks hooks;
    hooks.audio = [&](const float* x, std::size_t n, int rate) {
        overview.push(x, n);
        done += double(n) / rate;
    };
    hooks.windows = [&](const std::vector<emoscope::TimelineWindow>& ws) {
        r.timeline.insert(r.timeline.end(), ws.begin(), ws.end());
    };
    hooks.progress = [&](double, double) { snapshot(); };
    const emoscope::TimelineSummary s = model->timelineFile(file, {}, decode, hooks, cancel.get());
    checkCancel(cancel);
    fill(r);
    r.probabilities = s.verdict.probabilities;
    r.status = s.verdict.status;
    r.speechSeconds = s.verdict.speechSeconds;
    r.headline = emoscope::headlineFor(s.verdict, r.timeline);
}

std::shared_ptr<AnalysisResult> analyzeFileJob(quint64 job, const QString& path, const Model& model, const Cancel& cancel,
                                               const PartialSink& partial)
{
    auto r = std::make_shared<AnalysisResult>();
    r->jobId = job;
    r->source = path;
    try {
        const emoscope::AudioInfo info = emoscope::probeAudio(engine::toCore(path));
        r->nativeSampleRate = info.sampleRate;
        const double seconds = info.durationSeconds();
        if (seconds > AnalysisEngine::kStreamSeconds) {
            analyzeLongFile(*r, engine::toCore(path), seconds, model, cancel, partial);
            return r;
        }
        emoscope::DecodeOptions options;
        options.minSeconds = emoscope::Classifier::kMinAnalyzeSeconds;
        options.targetSampleRate = model ? model->featureConfig().sampleRate : emoscope::FeatureConfig{}.sampleRate;
        r->audio = emoscope::loadAudio(engine::toCore(path), options);
        checkCancel(cancel);
        describe(*r, model, cancel);
    } catch (const Cancelled&) {
        r->error = QObject::tr("%1: cancelled").arg(path);
    } catch (...) {
        r->error = withFileName(path, engine::currentExceptionText());
    }
    return r;
}

std::shared_ptr<AnalysisResult> analyzeAudioJob(quint64 job, emoscope::AudioBuffer audio, const QString& name,
                                             const Model& model, const Cancel& cancel)
{
    auto r = std::make_shared<AnalysisResult>();
    r->jobId = job;
    r->source = name;
    try {
        if (audio.samples.empty())
            throw std::invalid_argument("no audio (the recording is empty)");
        const int rate = model ? model->featureConfig().sampleRate : emoscope::FeatureConfig{}.sampleRate;
        r->nativeSampleRate = audio.sampleRate;
        if (audio.sampleRate != rate) {
            audio.samples = emoscope::resample(audio.samples.data(), audio.samples.size(), audio.sampleRate, rate);
            audio.sampleRate = rate;
        }
        r->audio = std::move(audio);
        describe(*r, model, cancel);
    } catch (const Cancelled&) {
        r->error = QObject::tr("%1: cancelled").arg(name);
    } catch (...) {
        r->error = withFileName(name, engine::currentExceptionText());
    }
    return r;
}

} // namespace

AnalysisEngine::AnalysisEngine(CurrentModel* model, QObject* parent)
    : QObject(parent), model_(model), cancel_(engine::newCancelFlag())
{
}

AnalysisEngine::~AnalysisEngine()
{
    // A job must not outlive its engine: cancelled jobs stop at their next check, so this wait is short.
    cancel_->store(true);
    engine::waitForJobs(this);
}

quint64 AnalysisEngine::beginJob()
{
    cancel_->store(true); // the running job stops at its next check; its result is ignored anyway
    cancel_ = engine::newCancelFlag();
    return ++currentJob_;
}

void AnalysisEngine::cancel()
{
    if (busy_ && batchJob_ == currentJob_) {
        // A batch stops after the files in flight and still delivers what it finished (the partial table stays).
        cancel_->store(true);
        return;
    }
    beginJob();
    busy_ = false;
}

bool AnalysisEngine::isBatchRunning() const
{
    return busy_ && batchJob_ == currentJob_;
}

template <typename Result, typename Work, typename Deliver>
void AnalysisEngine::run(quint64 job, Work work, Deliver deliver)
{
    busy_ = true;
    // The work reports its own failures inside its result; only a superseded job's result is dropped here.
    engine::runJob(
        this, std::move(work),
        [this, job, deliver](const engine::Outcome<Result>& r) {
            if (job != currentJob_)
                return; // superseded by a newer request
            busy_ = false;
            if (r.value)
                deliver(r.value);
        },
        analysisPool());
}

quint64 AnalysisEngine::analyzeFile(const QString& path)
{
    const quint64 job = beginJob();
    Q_EMIT started(job, path);
    run<std::shared_ptr<AnalysisResult>>(
        job,
        [job, path, model = model_->classifier(), cancel = cancel_, self = QPointer<AnalysisEngine>(this)] {
            // Newest-only: a snapshot waits in one slot and at most one wake-up is queued, so a busy GUI thread never
            // accumulates snapshots (each holds the overview and the timeline so far).
            struct Slot {
                std::mutex mutex;
                std::shared_ptr<AnalysisResult> latest;
                bool posted = false;
            };
            auto slot = std::make_shared<Slot>();
            const PartialSink partial = [self, job, slot](std::shared_ptr<AnalysisResult> p) {
                std::lock_guard<std::mutex> lock(slot->mutex);
                slot->latest = std::move(p);
                if (slot->posted)
                    return;
                slot->posted = true;
                QMetaObject::invokeMethod(
                    self.data(),
                    [self, job, slot] {
                        std::shared_ptr<AnalysisResult> newest;
                        {
                            std::lock_guard<std::mutex> lock(slot->mutex);
                            newest = std::move(slot->latest);
                            slot->posted = false;
                        }
                        if (newest && self && self->currentJob_ == job)
                            Q_EMIT self->partial(newest);
                    },
                    Qt::QueuedConnection);
            };
            return analyzeFileJob(job, path, model, cancel, partial);
        },
        [this](std::shared_ptr<AnalysisResult> r) { Q_EMIT analyzed(std::move(r)); });
    return job;
}

quint64 AnalysisEngine::analyzeAudio(const emoscope::AudioBuffer& audio, const QString& name)
{
    const quint64 job = beginJob();
    Q_EMIT started(job, name);
    run<std::shared_ptr<AnalysisResult>>(
        job,
        [job, audio, name, model = model_->classifier(), cancel = cancel_] {
            return analyzeAudioJob(job, audio, name, model, cancel);
        },
        [this](std::shared_ptr<AnalysisResult> r) { Q_EMIT analyzed(std::move(r)); });
    return job;
}

// ---- batch (issue 10 item 4): true labels, a cancel check between files, accuracy/UAR ----
namespace {

// Files go to judgeFiles a pair at a time (its two workers): the cancel flag is checked before each pair and
// after it, so Cancel waits for at most the files in flight, and the rows finished so far are kept.
constexpr int kBatchWorkers = 2;

void scoreBatch(BatchResult& r, const std::vector<std::string>& modelLabels)
{
    std::vector<emoscope::ClipResult> scored;
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
        const std::string& truth = r.trueLabel(i);
        if (truth.empty() || r.rows[i].top() < 0)
            continue;
        // A file without speech names no emotion (namedEmotion), so it is neither right nor wrong: not scored.
        if (r.namedIndex(i) < 0) {
            ++r.unscoredNoSpeech;
            continue;
        }
        emoscope::ClipResult c;
        c.file = r.rows[i].file;
        const auto it = std::find(modelLabels.begin(), modelLabels.end(), truth);
        c.trueIndex = it == modelLabels.end() ? -1 : int(it - modelLabels.begin()); // unknown to the model: an error
        c.probabilities = r.rows[i].probabilities;
        scored.push_back(std::move(c));
    }
    if (std::any_of(r.trueLabels.begin(), r.trueLabels.end(), [](const std::string& l) { return !l.empty(); }))
        r.metrics = emoscope::computeMetrics(modelLabels, std::move(scored));
}

} // namespace

quint64 AnalysisEngine::classifyBatch(const QStringList& files)
{
    const quint64 job = beginJob();
    batchJob_ = job;
    Q_EMIT started(job, tr("%1 files").arg(files.size()));
    auto model = model_->classifier();
    QPointer<AnalysisEngine> self(this);
    auto work = [job, files, model, cancel = cancel_, self] {
        auto r = std::make_shared<BatchResult>();
        r->jobId = job;
        r->filesRequested = int(files.size());
        std::vector<std::string> paths;
        for (const QString& f : files)
            paths.push_back(engine::toCore(f));
        if (!model) {
            for (const std::string& p : paths)
                r->rows.push_back({p, {}, p + ": no model loaded"});
            return r;
        }
        for (const std::string& label : model->labels())
            r->labels << QString::fromStdString(label);
        emoscope::DecodeOptions options;
        options.targetSampleRate = model->featureConfig().sampleRate;
        options.maxSeconds = 0; // long files stream (their speech's summary): no fixed limit
        const std::vector<std::string> truth = emoscope::batchTrueLabels(paths);
        engine::ProgressThrottle throttle(50);
        const int total = int(paths.size());
        for (int first = 0; first < total; first += kBatchWorkers) {
            if (cancel->load()) {
                r->cancelled = true;
                break;
            }
            const int n = std::min(kBatchWorkers, total - first);
            const std::vector<std::string> chunk(paths.begin() + first, paths.begin() + first + n);
            auto rows = model->judgeFiles(chunk, options, {}, cancel.get(), kBatchWorkers);
            for (int k = 0; k < n; ++k) {
                // A file the core skipped because the flag was set while the pair started is not a result.
                if (rows[std::size_t(k)].skipped)
                    continue;
                r->rows.push_back(std::move(rows[std::size_t(k)]));
                r->trueLabels.push_back(truth[std::size_t(first + k)]);
            }
            const int done = first + n;
            if (throttle.admit(done >= total))
                QMetaObject::invokeMethod(
                    self.data(),
                    [self, job, done, total] {
                        if (self && self->currentJob_ == job)
                            Q_EMIT self->batchProgress(done, total);
                    },
                    Qt::QueuedConnection);
        }
        if (cancel->load())
            r->cancelled = true;
        scoreBatch(*r, model->labels());
        return r;
    };
    run<std::shared_ptr<BatchResult>>(job, std::move(work),
                                      [this](std::shared_ptr<BatchResult> r) { Q_EMIT batchFinished(std::move(r)); });
    return job;
}
