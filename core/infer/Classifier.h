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

class NativeResNet;

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

// The whole-file result of Classifier::timelineFile.
struct TimelineSummary {
    std::vector<TimelineWindow> windows;
    SpeechActivity speech;   // the whole file's voice activity
    Verdict verdict;         // summary over the file's speech (summarizeTimeline)
    double durationSeconds = 0;
    bool cancelled = false;  // stopped early: windows and speech cover the start of the file only
};

// Hooks of timelineFile, all called on the calling thread as the file streams through.
struct TimelineStreamCallbacks {
    std::function<void(const std::vector<TimelineWindow>&)> windows;         // windows that became final, in order
    std::function<void(const float* samples, std::size_t n, int rate)> audio; // each decoded block at the model's rate
    std::function<void(double secondsDone, double secondsTotal)> progress;    // total -1 when the header cannot tell
};

// Result for one file of a batch: either probabilities or an error message.
struct FileClassification {
    std::string file;
    std::vector<float> probabilities; // empty when error is set
    std::string error;                // "<path>: <reason>" when the file could not be classified
    // The cancel flag was set before this file started: it was not tried (error says "<path>: cancelled"). A
    // front end leaves such files out of its results instead of listing them as failures.
    bool skipped = false;
    // Filled by judgeFiles only (classifyFiles leaves status Ok and speechSeconds -1 = not measured).
    VerdictStatus status = VerdictStatus::Ok;
    double speechSeconds = -1;
    int top() const;                  // index of the largest probability, -1 on error
};

// Maps audio to a probability per label with a loaded model.
// Loads the model once; every classify call uses the model's own FeatureConfig, normalisation and
// input policy, so a model always runs with the settings it was trained with. The network runs without libtorch
// (NativeResNet), so a program that only classifies never loads it.
// Thread-safety: after construction all const methods may be called concurrently from any thread. The BLAS thread
// count is process-wide (see setComputeThreads).
class Classifier {
public:
    // Throws ModelError naming the file and the reason.
    static std::shared_ptr<const Classifier> load(const std::string& modelPath);
    ~Classifier();

    const std::string& path() const;
    const ModelCard& card() const;
    const std::vector<std::string>& labels() const { return card().labels; }
    const FeatureConfig& featureConfig() const { return card().features; }

    // Samples at any rate (resampled to the model's rate). With the card's input.trimToSpeech the network reads only
    // the speech span (audio/SpeechTrim.h), as in training. Empty input throws std::invalid_argument.
    std::vector<float> classify(const AudioBuffer& audio) const;
    // Decodes with loadAudio (throws AudioError), then classify.
    std::vector<float> classifyFile(const std::string& path, const DecodeOptions& options = {}) const;
    // A dB log-mel computed with featureConfig() (LogMelExtractor::logMel), read as given: no speech trim.
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
    // Each window's status comes from the voice activity inside it (one detection over the whole audio). Windows are
    // read whole, never cut to their speech: a window is a stretch of a longer recording, not a clip with silence
    // around it, and its status already says when it holds too little speech.
    // speech, when given, receives that whole-audio detection (so a caller needing the file's speech runs none again).
    std::vector<TimelineWindow> timeline(const AudioBuffer& audio, const TimelineOptions& options = {},
                                         SpeechActivity* speech = nullptr) const;

    // The timeline of a file of any length in bounded memory: decoded block by block (AudioStreamReader), voice
    // activity and windows computed as the samples arrive; the same windows as timeline(loadAudio(path)).
    // decode.targetSampleRate is ignored (the model's rate is used); decode.maxSeconds 0 (the default here) means no
    // limit.
    // Cancelling returns what was done, marked cancelled. Throws AudioError for the file, invalid_argument for options.
    TimelineSummary timelineFile(const std::string& path, const TimelineOptions& options = {},
                                 const DecodeOptions& decode = DecodeOptions{0, 0.0, 0.0},
                                 const TimelineStreamCallbacks& callbacks = {},
                                 const std::atomic<bool>* cancel = nullptr) const;

    // Files longer than this are classified (classifyFile, judgeFile, classifyFiles, judgeFiles) as the summary of
    // their timeline's speech windows, streamed in bounded memory, instead of as one clip.
    static constexpr double kLongFileSeconds = 60.0;
    // Files shorter than this are refused by the file functions: "too short to analyze (minimum 30 ms)". Three 10 ms
    // voice-activity frames are the least that can count as speech (SpeechDetector's voicing rule).
    static constexpr double kMinAnalyzeSeconds = 0.03;

    // Default bundled model: $EMOSCOPE_MODEL, then next to the binary, ../share/emoscope/models, then models/
    // in the source tree. Returns "" when none is found.
    static std::string findDefaultModel(const std::string& argv0 = {});

private:
    std::function<MelMatrix(const float*, std::size_t)> windowFeatures() const;
    std::function<std::vector<std::vector<float>>(const std::vector<const MelMatrix*>&)> windowForward() const;
    std::vector<FileClassification> runFiles(const std::vector<std::string>& files, const DecodeOptions& options,
                                             const std::function<void(int, int)>& progress,
                                             const std::atomic<bool>* cancel, bool judged, int workers) const;
    friend struct ClassifierFactory; // core-internal (net/): between libtorch's network and this one
    static std::shared_ptr<const Classifier> fromNetwork(std::string path, ModelCard card,
                                                         std::shared_ptr<const NativeResNet> network);
    const NativeResNet& network() const;
    Classifier();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One verdict for a whole recording from its timeline: the probabilities are the mean of the windows that hold
// speech (status not no_speech), weighted by their speech seconds, so silence and noise between utterances do not
// dilute it; with no speech window at all, the plain mean (and the status says no_speech). The status comes from the
// whole recording's speech and the calibration, as for one clip.
Verdict summarizeTimeline(const std::vector<TimelineWindow>& windows, const SpeechActivity& speech,
                          const Calibration& calibration);

// Sets the threads of the BLAS that runs the network's matrix products (OpenBLAS's pool; 0 = number of cores),
// process-wide. The CLI sets it per command; other callers set it once at start-up. Training sets libtorch's own
// threads as well (setTorchThreads, net/TorchThreads.h).
void setComputeThreads(int threads = 0);

} // namespace emoscope
