// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include "audio/AudioDecoder.h"
#include "audio/VoiceActivity.h"
#include "dsp/MelMatrix.h"
#include "infer/Verdict.h"
#include "model/ModelCard.h"
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace emoscope {

struct TimelineOptions {
    double windowSeconds = 2.5;
    double hopSeconds = 0.5;
};

// One window of the sliding-window timeline.
struct TimelineWindow {
    double startSeconds = 0;
    double endSeconds = 0;
    std::vector<float> probabilities; // one per label, sums to 1
    VerdictStatus status = VerdictStatus::Ok; // from the speech inside this window and its top probability
    double speechSeconds = 0;
};

// Result for one file of a batch: either probabilities or an error message.
struct FileClassification {
    std::string file;
    std::vector<float> probabilities; // empty when error is set
    std::string error;                // "<path>: <reason>" when the file could not be classified
    // Filled by judgeFiles only (classifyFiles leaves status Ok and speechSeconds -1 = not measured).
    VerdictStatus status = VerdictStatus::Ok;
    double speechSeconds = -1;
    int top() const;                  // index of the largest probability, -1 on error
};

// Maps audio to a probability per label with a loaded model.
// Loads the model once; every classify call uses the model's own FeatureConfig, normalisation and
// input policy, so a model always runs with the settings it was trained with.
// Thread-safety: after construction all const methods may be called concurrently from any thread;
// each call sets its own no-grad mode. The libtorch thread count is process-wide (see setComputeThreads).
class Classifier {
public:
    // Throws ModelError naming the file and the reason.
    static std::shared_ptr<const Classifier> load(const std::string& modelPath);
    ~Classifier();

    const std::string& path() const;
    const ModelCard& card() const;
    const std::vector<std::string>& labels() const { return card().labels; }
    const FeatureConfig& featureConfig() const { return card().features; }

    // Samples at any rate (resampled to the model's rate). Empty input throws std::invalid_argument.
    std::vector<float> classify(const AudioBuffer& audio) const;
    // Decodes with loadAudio (throws AudioError), then classify.
    std::vector<float> classifyFile(const std::string& path, const DecodeOptions& options = {}) const;
    // A dB log-mel computed with featureConfig() (LogMelExtractor::logMel).
    std::vector<float> classifyLogMel(const MelMatrix& logMelDb) const;
    // Many files, decoded and featurised in parallel; failures are reported per file, never thrown. Results are in
    // the order of files whatever the number of workers (0 = min(cores, 2)).
    std::vector<FileClassification> classifyFiles(const std::vector<std::string>& files,
                                                  const DecodeOptions& options = {},
                                                  const std::function<void(int done, int total)>& progress = {},
                                                  const std::atomic<bool>* cancel = nullptr, int workers = 0) const;
    // Probabilities plus status: voice activity (detectSpeech) and the card's calibration decide whether the
    // top emotion may be claimed (verdictFor). Same errors as classify / classifyFile.
    Verdict judge(const AudioBuffer& audio) const;
    Verdict judgeFile(const std::string& path, const DecodeOptions& options = {}) const;
    // classifyFiles with each row's status and speech seconds.
    std::vector<FileClassification> judgeFiles(const std::vector<std::string>& files, const DecodeOptions& options = {},
                                               const std::function<void(int done, int total)>& progress = {},
                                               const std::atomic<bool>* cancel = nullptr, int workers = 0) const;
    // Sliding windows over audio (resampled to the model's rate). Audio shorter than one window gives one window.
    // Each window's status comes from the voice activity inside it (one detection over the whole audio).
    // speech, when given, receives that whole-audio detection (so a caller needing the file's speech runs none again).
    std::vector<TimelineWindow> timeline(const AudioBuffer& audio, const TimelineOptions& options = {},
                                         SpeechActivity* speech = nullptr) const;

    // Default bundled model: $EMOSCOPE_MODEL, then next to the binary, ../share/emoscope/models, then models/
    // in the source tree. Returns "" when none is found.
    static std::string findDefaultModel(const std::string& argv0 = {});

private:
    std::vector<FileClassification> runFiles(const std::vector<std::string>& files, const DecodeOptions& options,
                                             const std::function<void(int, int)>& progress,
                                             const std::atomic<bool>* cancel, bool judged, int workers) const;
    friend struct ClassifierFactory; // core-internal: wraps an in-memory network (e.g. one just trained)
    Classifier();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Sets libtorch's intra-op threads (0 = number of cores), process-wide. The CLI sets it per command and Trainer::run
// per training run (from TrainOptions::threads); other callers set it once at start-up.
void setComputeThreads(int threads = 0);

} // namespace emoscope
