// SPDX-License-Identifier: GPL-3.0-or-later
#include "infer/Classifier.h"
#include "util/Argmax.h"
#include "util/ParallelFor.h"
#include "util/TextUtil.h"
#include "audio/AudioError.h"
#include "audio/AudioStreamReader.h"
#include "audio/Resampler.h"
#include "audio/SpeechTrim.h"
#include "audio/VoiceActivity.h"
#include "dsp/LogMelExtractor.h"
#include "infer/TimelineBuilder.h"
#include "model/InputPrep.h"
#include "model/ModelError.h"
#include "model/ModelFile.h"
#include "model/NativeResNet.h"
#include "model/Softmax.h"
#include <algorithm>
#include <dlfcn.h>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace emoscope {

struct Classifier::Impl {
    std::string path;
    ModelCard card;
    std::shared_ptr<const NativeResNet> net;
    std::unique_ptr<LogMelExtractor> extractor;

    // Pads + normalises one log-mel the way training did.
    MelMatrix prepare(const MelMatrix& logMelDb) const
    {
        if (logMelDb.nMels != card.features.nMels)
            throw std::invalid_argument("log-mel has " + std::to_string(logMelDb.nMels) + " mel bands, the model expects " +
                                        std::to_string(card.features.nMels));
        if (logMelDb.frames <= 0) throw std::invalid_argument("empty log-mel");
        MelMatrix m = padFrames(logMelDb, card.input.minFrames);
        normaliseInPlace(m, card.norm);
        return m;
    }

    // Calibrated probabilities for a batch of prepared matrices (the network only reads its weights, so
    // concurrent calls need no lock).
    std::vector<std::vector<float>> forward(const std::vector<const MelMatrix*>& mats) const
    {
        std::vector<std::vector<float>> out;
        out.reserve(mats.size());
        for (const MelMatrix* m : mats) out.push_back(calibratedSoftmax(net->logits(*m), card.calibration.temperature, card.calibration.classBias));
        return out;
    }

    static void checkAudio(const AudioBuffer& audio)
    {
        if (audio.samples.empty()) throw std::invalid_argument("empty audio");
        if (audio.sampleRate <= 0) throw std::invalid_argument("audio has no sample rate");
    }

    // The log-mel of the audio the network reads: with the card's input.trimToSpeech, only the speech span that
    // `speech` (detectSpeech of this audio, computed here when null) finds, as in training (FeatureCache).
    MelMatrix logMelOf(const AudioBuffer& audio, const SpeechActivity* speech = nullptr) const
    {
        checkAudio(audio);
        SampleSpan span{0, audio.samples.size()};
        if (card.input.trimToSpeech) {
            const auto spanOf = [&](const SpeechActivity& a) {
                return speechSpan(a, audio.samples.size(), audio.sampleRate, card.input.trimMarginSeconds);
            };
            span = speech ? spanOf(*speech) : spanOf(detectSpeech(audio));
        }
        const float* first = audio.samples.data() + span.begin;
        if (audio.sampleRate == card.features.sampleRate) return extractor->logMel(first, span.size());
        const auto s = resample(first, span.size(), audio.sampleRate, card.features.sampleRate);
        return extractor->logMel(s.data(), s.size());
    }
};

std::shared_ptr<const Classifier> Classifier::fromNetwork(std::string path, ModelCard card,
                                                         std::shared_ptr<const NativeResNet> network)
{
    std::shared_ptr<Classifier> c(new Classifier());
    c->impl_->path = std::move(path);
    c->impl_->card = std::move(card);
    c->impl_->net = std::move(network);
    c->impl_->extractor = std::make_unique<LogMelExtractor>(c->impl_->card.features);
    return c;
}

const NativeResNet& Classifier::network() const { return *impl_->net; }

Classifier::Classifier() : impl_(std::make_unique<Impl>()) {}
Classifier::~Classifier() = default;

std::shared_ptr<const Classifier> Classifier::load(const std::string& modelPath)
{
    InferenceModel m = loadInferenceModel(modelPath);
    try {
        return fromNetwork(modelPath, std::move(m.card), std::move(m.network));
    } catch (const ModelError&) {
        throw;
    } catch (const std::exception& e) {
        throw ModelError(modelPath, e.what());
    }
}

const std::string& Classifier::path() const { return impl_->path; }
const ModelCard& Classifier::card() const { return impl_->card; }

std::vector<float> Classifier::classify(const AudioBuffer& audio) const
{
    return classifyLogMel(impl_->logMelOf(audio));
}

namespace {
// The model's own rate whatever the caller asked, and never less than the shortest analyzable clip.
DecodeOptions fileOptions(const DecodeOptions& options, int modelRate)
{
    DecodeOptions o = options;
    o.targetSampleRate = modelRate;
    o.minSeconds = std::max(o.minSeconds, Classifier::kMinAnalyzeSeconds);
    return o;
}
bool isLongFile(const std::string& path)
{
    const AudioInfo info = probeAudio(path); // the header (or a count of a stream whose header cannot tell)
    return info.durationSeconds() > Classifier::kLongFileSeconds;
}
} // namespace

std::vector<float> Classifier::classifyFile(const std::string& path, const DecodeOptions& options) const
{
    const DecodeOptions o = fileOptions(options, impl_->card.features.sampleRate);
    if (isLongFile(path)) return timelineFile(path, {}, o).verdict.probabilities;
    return classify(loadAudio(path, o));
}

std::vector<float> Classifier::classifyLogMel(const MelMatrix& logMelDb) const
{
    const MelMatrix m = impl_->prepare(logMelDb);
    return impl_->forward({&m}).front();
}

Verdict Classifier::judge(const AudioBuffer& audio) const
{
    Verdict v;
    Impl::checkAudio(audio);
    const SpeechActivity speech = detectSpeech(audio); // for the status, and the speech span the network reads
    v.probabilities = classifyLogMel(impl_->logMelOf(audio, &speech));
    v.speechSeconds = speech.speechSeconds;
    v.speechFraction = speech.fraction;
    v.status = verdictFor(v.probabilities, v.speechSeconds, v.speechFraction, impl_->card.calibration);
    return v;
}

Verdict Classifier::judgeFile(const std::string& path, const DecodeOptions& options) const
{
    const DecodeOptions o = fileOptions(options, impl_->card.features.sampleRate);
    if (isLongFile(path)) return timelineFile(path, {}, o).verdict;
    return judge(loadAudio(path, o));
}

int FileClassification::top() const
{
    if (!error.empty() || probabilities.empty()) return -1;
    return argmax(probabilities);
}

std::vector<FileClassification> Classifier::classifyFiles(const std::vector<std::string>& files,
                                                          const DecodeOptions& options,
                                                          const std::function<void(int, int)>& progress,
                                                          const std::atomic<bool>* cancel, int workers) const
{
    return runFiles(files, options, progress, cancel, false, workers);
}

std::vector<FileClassification> Classifier::judgeFiles(const std::vector<std::string>& files,
                                                       const DecodeOptions& options,
                                                       const std::function<void(int, int)>& progress,
                                                       const std::atomic<bool>* cancel, int workers) const
{
    return runFiles(files, options, progress, cancel, true, workers);
}

std::vector<FileClassification> Classifier::runFiles(const std::vector<std::string>& files,
                                                     const DecodeOptions& options,
                                                     const std::function<void(int, int)>& progress,
                                                     const std::atomic<bool>* cancel, bool judged, int workers) const
{
    const int total = int(files.size());
    std::vector<FileClassification> out(files.size());
    if (total == 0) return out;
    // Decoding and the log-mel dominate for short clips, so by default two file workers keep both cores busy.
    if (workers <= 0) workers = std::clamp(int(std::thread::hardware_concurrency()), 1, 2);
    parallelFor(total, workers, [&](int i) {
        FileClassification& r = out[i];
        r.file = files[i];
        if (cancel && cancel->load()) {
            r.error = files[i] + ": cancelled";
            r.skipped = true;
            return;
        }
        try {
            if (judged) {
                Verdict v = judgeFile(files[i], options);
                r.probabilities = std::move(v.probabilities);
                r.status = v.status;
                r.speechSeconds = v.speechSeconds;
            } else {
                r.probabilities = classifyFile(files[i], options);
            }
        } catch (const std::exception& e) {
            r.error = withPathPrefix(files[i], e.what());
            r.probabilities.clear();
        }
    }, progress);
    return out;
}

std::vector<TimelineWindow> Classifier::timeline(const AudioBuffer& audio, const TimelineOptions& options,
                                                SpeechActivity* speechOut) const
{
    checkTimelineOptions(options);
    if (audio.samples.empty()) throw std::invalid_argument("empty audio");
    if (audio.sampleRate <= 0) throw std::invalid_argument("audio has no sample rate");
    const int sr = impl_->card.features.sampleRate;
    std::vector<float> resampled;
    const std::vector<float>* s = &audio.samples;
    if (audio.sampleRate != sr) {
        resampled = resample(audio.samples.data(), audio.samples.size(), audio.sampleRate, sr);
        s = &resampled;
    }
    std::vector<TimelineWindow> out;
    TimelineBuilder builder(sr, options, impl_->card.calibration, windowFeatures(), windowForward(),
                            [&](std::vector<TimelineWindow>&& ws) {
                                for (auto& w : ws) out.push_back(std::move(w));
                            });
    builder.push(s->data(), s->size());
    builder.finish();
    if (speechOut) *speechOut = builder.speech();
    return out;
}

std::function<MelMatrix(const float*, std::size_t)> Classifier::windowFeatures() const
{
    return [this](const float* x, std::size_t n) { return impl_->prepare(impl_->extractor->logMel(x, n)); };
}

std::function<std::vector<std::vector<float>>(const std::vector<const MelMatrix*>&)> Classifier::windowForward() const
{
    return [this](const std::vector<const MelMatrix*>& batch) { return impl_->forward(batch); };
}

TimelineSummary Classifier::timelineFile(const std::string& path, const TimelineOptions& options,
                                         const DecodeOptions& decode, const TimelineStreamCallbacks& callbacks,
                                         const std::atomic<bool>* cancel) const
{
    checkTimelineOptions(options);
    const int sr = impl_->card.features.sampleRate;
    DecodeOptions o = decode;
    o.targetSampleRate = sr;
    AudioStreamReader reader(path, o);
    TimelineSummary result;
    TimelineBuilder builder(sr, options, impl_->card.calibration, windowFeatures(), windowForward(),
                            [&](std::vector<TimelineWindow>&& ws) {
                                if (callbacks.windows) callbacks.windows(ws);
                                for (auto& w : ws) result.windows.push_back(std::move(w));
                            });
    std::vector<float> block;
    std::size_t samples = 0;
    const double total = reader.headerSeconds();
    for (;;) {
        if (cancel && cancel->load()) {
            result.cancelled = true;
            break;
        }
        block.clear();
        const bool more = reader.read(block);
        if (!block.empty()) {
            if (callbacks.audio) callbacks.audio(block.data(), block.size(), sr);
            builder.push(block.data(), block.size());
            samples += block.size();
        }
        if (callbacks.progress) callbacks.progress(reader.secondsRead(), total);
        if (!more) break;
    }
    result.durationSeconds = double(samples) / sr;
    if (result.cancelled) {
        result.speech = builder.speech();
        return result;
    }
    builder.finish();
    result.speech = builder.speech();
    result.verdict = summarizeTimeline(result.windows, result.speech, impl_->card.calibration);
    return result;
}

Verdict summarizeTimeline(const std::vector<TimelineWindow>& windows, const SpeechActivity& speech,
                          const Calibration& calibration)
{
    Verdict v;
    v.speechSeconds = speech.speechSeconds;
    v.speechFraction = speech.fraction;
    if (windows.empty()) return v;
    const std::size_t labels = windows.front().probabilities.size();
    std::vector<double> sum(labels, 0.0);
    double weight = 0;
    for (const TimelineWindow& w : windows) {
        if (w.status == VerdictStatus::NoSpeech || w.speechSeconds <= 0) continue;
        for (std::size_t k = 0; k < labels; ++k) sum[k] += w.speechSeconds * w.probabilities[k];
        weight += w.speechSeconds;
    }
    if (weight <= 0) { // no speech anywhere: the plain mean, for what it is worth
        for (const TimelineWindow& w : windows)
            for (std::size_t k = 0; k < labels; ++k) sum[k] += w.probabilities[k];
        weight = double(windows.size());
    }
    v.probabilities.resize(labels);
    for (std::size_t k = 0; k < labels; ++k) v.probabilities[k] = float(sum[k] / weight);
    v.status = verdictFor(v.probabilities, v.speechSeconds, v.speechFraction, calibration);
    return v;
}

std::string Classifier::findDefaultModel(const std::string& argv0)
{
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("EMOSCOPE_MODEL"); env && *env) return env; // explicit: used even if missing
    std::vector<fs::path> dirs;
    std::error_code ec;
    if (auto exe = fs::read_symlink("/proc/self/exe", ec); !ec) dirs.push_back(exe.parent_path());
    if (!argv0.empty()) {
        fs::path p(argv0);
        if (p.has_parent_path()) dirs.push_back(fs::absolute(p, ec).parent_path());
    }
    std::vector<fs::path> candidates;
    for (const auto& d : dirs) {
        candidates.push_back(d / "emoscope.pt");
        candidates.push_back(d / "models" / "emoscope.pt");
        candidates.push_back(d / ".." / "share" / "emoscope" / "models" / "emoscope.pt");
        candidates.push_back(d / ".." / ".." / "models" / "emoscope.pt"); // build/app/emoscope-cli in the source tree
    }
#ifdef EMOSCOPE_SOURCE_MODELS_DIR
    candidates.push_back(fs::path(EMOSCOPE_SOURCE_MODELS_DIR) / "emoscope.pt");
#endif
    for (const auto& c : candidates)
        if (fs::is_regular_file(c, ec)) return fs::weakly_canonical(c, ec).string();
    return {};
}

void setComputeThreads(int threads)
{
    if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
    // libblas.so.3 is OpenBLAS on Debian when libopenblas0 is installed (the reference BLAS has no pool to size).
    using SetThreads = void (*)(int);
    if (auto f = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) f(threads);
}

} // namespace emoscope
