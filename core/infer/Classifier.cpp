// SPDX-License-Identifier: GPL-3.0-or-later
#include "infer/Classifier.h"
#include "util/Argmax.h"
#include "util/ParallelFor.h"
#include "util/TextUtil.h"
#include "audio/Resampler.h"
#include "audio/VoiceActivity.h"
#include "dsp/LogMelExtractor.h"
#include "infer/ClassifierFactory.h"
#include "model/InputPrep.h"
#include "model/ModelError.h"
#include "model/ModelIO.h"
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
    mutable ResNet net{nullptr}; // forward() is non-const in libtorch; eval-mode forward only reads
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

    // Softmax rows for a batch of prepared matrices of equal size. Grad mode is thread-local, so every call
    // sets its own; the network was put in eval mode once at load and is never switched back, so concurrent
    // calls only read it.
    std::vector<std::vector<float>> forward(const std::vector<const MelMatrix*>& mats) const
    {
        torch::NoGradGuard noGrad;
        const torch::Tensor logits = net->forward(toInputTensor(mats)) / card.calibration.temperature;
        const torch::Tensor probs = torch::softmax(logits, 1).contiguous();
        std::vector<std::vector<float>> out(mats.size());
        const float* p = probs.data_ptr<float>();
        const std::size_t n = card.labels.size();
        for (std::size_t i = 0; i < mats.size(); ++i) out[i].assign(p + i * n, p + (i + 1) * n);
        return out;
    }

    MelMatrix logMelOf(const AudioBuffer& audio) const
    {
        if (audio.samples.empty()) throw std::invalid_argument("empty audio");
        if (audio.sampleRate <= 0) throw std::invalid_argument("audio has no sample rate");
        if (audio.sampleRate == card.features.sampleRate)
            return extractor->logMel(audio.samples.data(), audio.samples.size());
        const auto s = resample(audio.samples.data(), audio.samples.size(), audio.sampleRate, card.features.sampleRate);
        return extractor->logMel(s.data(), s.size());
    }
};

torch::Tensor toInputTensor(const std::vector<const MelMatrix*>& mats)
{
    if (mats.empty()) throw std::invalid_argument("no input");
    const int mels = mats[0]->nMels, frames = mats[0]->frames;
    torch::Tensor x = torch::empty({std::int64_t(mats.size()), 1, mels, frames}, torch::kFloat);
    float* dst = x.data_ptr<float>();
    for (const MelMatrix* m : mats) {
        if (m->nMels != mels || m->frames != frames) throw std::invalid_argument("batch of unequal inputs");
        std::copy(m->data.begin(), m->data.end(), dst);
        dst += m->data.size();
    }
    return x;
}

std::shared_ptr<const Classifier> ClassifierFactory::make(std::string path, ModelCard card, ResNet net)
{
    std::shared_ptr<Classifier> c(new Classifier());
    c->impl_->path = std::move(path);
    c->impl_->card = std::move(card);
    net->eval();
    c->impl_->net = std::move(net);
    c->impl_->extractor = std::make_unique<LogMelExtractor>(c->impl_->card.features);
    return c;
}

Classifier::Classifier() : impl_(std::make_unique<Impl>()) {}
Classifier::~Classifier() = default;

std::shared_ptr<const Classifier> Classifier::load(const std::string& modelPath)
{
    LoadedModel m = loadModelFile(modelPath);
    try {
        return ClassifierFactory::make(modelPath, std::move(m.card), std::move(m.net));
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

std::vector<float> Classifier::classifyFile(const std::string& path, const DecodeOptions& options) const
{
    DecodeOptions o = options;
    o.targetSampleRate = impl_->card.features.sampleRate; // the model's own rate, whatever the caller asked
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
    v.probabilities = classify(audio);
    const SpeechActivity speech = detectSpeech(audio);
    v.speechSeconds = speech.speechSeconds;
    v.speechFraction = speech.fraction;
    v.status = verdictFor(v.probabilities, v.speechSeconds, v.speechFraction, impl_->card.calibration);
    return v;
}

Verdict Classifier::judgeFile(const std::string& path, const DecodeOptions& options) const
{
    DecodeOptions o = options;
    o.targetSampleRate = impl_->card.features.sampleRate;
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
    if (!(options.windowSeconds > 0) || !(options.hopSeconds > 0))
        throw std::invalid_argument("timeline window and hop must be > 0 seconds");
    if (audio.samples.empty()) throw std::invalid_argument("empty audio");
    if (audio.sampleRate <= 0) throw std::invalid_argument("audio has no sample rate");
    const int sr = impl_->card.features.sampleRate;
    std::vector<float> resampled;
    const std::vector<float>* s = &audio.samples;
    if (audio.sampleRate != sr) {
        resampled = resample(audio.samples.data(), audio.samples.size(), audio.sampleRate, sr);
        s = &resampled;
    }
    const std::size_t n = s->size();
    const std::size_t win = std::max<std::size_t>(1, std::size_t(options.windowSeconds * sr + 0.5));
    const std::size_t hop = std::max<std::size_t>(1, std::size_t(options.hopSeconds * sr + 0.5));
    std::vector<std::pair<std::size_t, std::size_t>> spans; // [start, end) in samples
    if (n <= win) {
        spans.emplace_back(0, n);
    } else {
        std::size_t start = 0;
        for (; start + win <= n; start += hop) spans.emplace_back(start, start + win);
        // A last window flush with the end so the tail is never dropped.
        if (spans.back().second < n) spans.emplace_back(n - win, n);
    }
    // One detection over the whole audio; each window counts the speech frames inside it.
    SpeechActivity local;
    SpeechActivity& speech = speechOut ? *speechOut : local;
    speech = detectSpeech(AudioBuffer{*s, sr});
    constexpr double kVadFrameSeconds = 0.01;
    const auto speechIn = [&](std::size_t a, std::size_t b) {
        const std::size_t first = std::size_t(double(a) / sr / kVadFrameSeconds + 0.5);
        const std::size_t last = std::min(speech.frameIsSpeech.size(), std::size_t(double(b) / sr / kVadFrameSeconds + 0.5));
        std::size_t n = 0;
        for (std::size_t f = first; f < last; ++f) n += speech.frameIsSpeech[f];
        return double(n) * kVadFrameSeconds;
    };
    std::vector<TimelineWindow> out(spans.size());
    std::vector<MelMatrix> prepared(spans.size());
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const auto [a, b] = spans[i];
        prepared[i] = impl_->prepare(impl_->extractor->logMel(s->data() + a, b - a));
        out[i].startSeconds = double(a) / sr;
        out[i].endSeconds = double(b) / sr;
        out[i].speechSeconds = speechIn(a, b);
    }
    // Equal-length windows go through the network in batches.
    constexpr std::size_t kBatch = 32;
    for (std::size_t first = 0; first < prepared.size(); first += kBatch) {
        std::vector<const MelMatrix*> batch;
        for (std::size_t i = first; i < std::min(prepared.size(), first + kBatch); ++i) batch.push_back(&prepared[i]);
        auto probs = impl_->forward(batch);
        for (std::size_t i = 0; i < batch.size(); ++i) out[first + i].probabilities = std::move(probs[i]);
    }
    for (auto& w : out) {
        const double length = w.endSeconds - w.startSeconds;
        w.status = verdictFor(w.probabilities, w.speechSeconds, length > 0 ? w.speechSeconds / length : 0.0,
                              impl_->card.calibration);
    }
    return out;
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
    at::set_num_threads(threads); // Debian's libtorch starts with one intra-op thread
    // Debian's libtorch runs its GEMMs in OpenBLAS (pthread build), which keeps its own pool of one thread per core.
    // Two pools spinning on two cores starve each other on a busy machine, so OpenBLAS gets the same count.
    using SetThreads = void (*)(int);
    if (auto f = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) f(threads);
}

} // namespace emoscope
