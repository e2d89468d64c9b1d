// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/FeatureConfig.h"
#include "dsp/MelMatrix.h"
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace emoscope {

// dB log-mel spectrograms of audio files, computed once. In memory always; on disk too when a folder is given,
// keyed by path + modification time + size + the FeatureConfig, so a changed file or setting never reuses stale data.
class FeatureCache {
public:
    FeatureCache(FeatureConfig config, std::string diskDir = {});

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

    // Statistics for tests and logs: files loaded from disk vs computed in the last prepare().
    int diskHits() const { return diskHits_; }
    int computed() const { return computed_; }

    // The on-disk file name for a path under the current config ("" when there is no disk folder or no such file).
    std::string diskPath(const std::string& path) const;

private:
    MelMatrix compute(const std::string& path) const;
    FeatureConfig config_;
    std::string configJson_;
    std::string diskDir_;
    mutable std::mutex mutex_;
    std::map<std::string, MelMatrix> memory_;
    int diskHits_ = 0, computed_ = 0;
};

} // namespace emoscope
