// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/FeatureConfig.h"
#include "dsp/MelMatrix.h"
#include "model/ModelCard.h"
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace emoscope {

// dB log-mel spectrograms of audio files, computed once. In memory always; on disk too when a folder is given,
// keyed by path + modification time + size + the FeatureConfig, so a changed file or setting never reuses stale data.
// With keepAudio, the decoded audio (at the config's rate) is kept too, for waveform augmentation; the disk copy
// then holds the audio, from which the features are recomputed (cheap next to decoding and resampling).
// With speechTrimMargin, every clip is cut to its speech span widened by that many seconds (audio/SpeechTrim.h, a
// model's input.trimToSpeech) right after decoding: the features and the kept audio are both of the cut clip, as
// Classifier reads it; the margin is part of the disk key.
class FeatureCache {
public:
    FeatureCache(FeatureConfig config, std::string diskDir = {}, bool keepAudio = false,
                 std::optional<double> speechTrimMargin = std::nullopt);
    // The speechTrimMargin a model's input policy asks for (none unless input.trimToSpeech).
    static std::optional<double> speechTrimMarginOf(const InputPolicy& input);

    struct Outcome {
        std::vector<int> failed;                // indices into files that could not be read
        std::vector<std::string> errors;        // "<path>: <reason>", parallel to failed
        bool cancelled = false;
    };
    // Computes (or loads) every file's features with `threads` workers. progress(done, total) runs on the calling thread.
    Outcome prepare(const std::vector<std::string>& files, int threads,
                    const std::function<void(int, int)>& progress = {}, const std::atomic<bool>* cancel = nullptr);

    // The features of a prepared file; throws std::out_of_range when it was not prepared (or failed).
    const MelMatrix& get(const std::string& path) const;
    bool contains(const std::string& path) const;
    // The dB log-mel of samples at the config's rate (what prepare() stores for a file's audio).
    MelMatrix features(const std::vector<float>& samples) const;
    // The decoded audio of a prepared file (keepAudio only); throws std::out_of_range otherwise.
    const std::vector<float>& audio(const std::string& path) const;

    // Statistics for tests and logs: files loaded from disk vs computed in the last prepare().
    int diskHits() const { return diskHits_; }
    int computed() const { return computed_; }

    // The on-disk file name for a path under the current config ("" when there is no disk folder or no such file).
    std::string diskPath(const std::string& path) const;

private:
    std::vector<float> decode(const std::string& path) const;
    FeatureConfig config_;
    bool keepAudio_ = false;
    std::optional<double> speechTrimMargin_;
    std::string configJson_;
    std::string diskDir_;
    mutable std::mutex mutex_;
    std::map<std::string, MelMatrix> memory_;
    std::map<std::string, std::vector<float>> audio_;
    int diskHits_ = 0, computed_ = 0;
};

} // namespace emoscope
