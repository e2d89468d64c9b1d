// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include "dsp/FeatureConfig.h"
#include "dsp/StreamingLogMel.h"
#include "engine/LiveSnapshot.h"
#include "engine/RecordedTake.h"
#include "audio/StreamingResampler.h"

#include <QObject>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace emoscope {
class SampleRing;
}

// Runs on the recorder's worker thread: drains the ring, keeps the take, resamples to the feature rate,
// computes mel columns with StreamingLogMel and maintains the scrolling display. Wake-ups coalesce (at most
// one pending) and display snapshots are latest-only, so a slow frame is skipped, never queued.
class RecorderWorker : public QObject {
    Q_OBJECT
public:
    struct Callbacks {
        // Both carry the take id given to begin(), so late results of an older take can be told apart.
        std::function<void(emoscope::AudioBuffer, quint64 take)> liveAudio; // last liveWindowSeconds at the device rate, every liveEverySeconds
        std::function<void(std::shared_ptr<RecordedTake>, quint64 take)> finished;
    };
    explicit RecorderWorker(Callbacks callbacks);
    ~RecorderWorker() override;

    // Thread-safe. Called from the capture path: schedules one drain unless one is already pending.
    void wake();
    // Thread-safe. The newest snapshot if one was made since the last call; asks for the next one.
    std::optional<LiveSnapshot> takeSnapshot();

    static constexpr double displaySeconds = 6.0;
    static constexpr double liveWindowSeconds = 2.5;
    static constexpr double liveEverySeconds = 0.5;

    // Worker-thread entry points (invoke queued).
    // Each take has its own ring, so a take that is still being finished never reads the next one's samples.
    void begin(const emoscope::FeatureConfig& config, int inputRate, quint64 takeId, std::shared_ptr<emoscope::SampleRing> ring);
    void drain();
    void finish();

private:
    void consume(const float* samples, std::size_t n);
    void addColumns(const emoscope::MelMatrix& power);
    void publish();

    std::shared_ptr<emoscope::SampleRing> ring_;
    Callbacks callbacks_;
    std::atomic<bool> wakePending_{false};
    std::atomic<bool> snapshotWanted_{true};
    // Audio consumed since the last snapshot: when the GUI asks for one and no more audio comes (the input paused
    // or went silent at the source), the worker is woken to publish it instead of leaving the view a step behind.
    std::atomic<bool> unpublished_{false};
    std::mutex snapshotMutex_;
    std::optional<LiveSnapshot> snapshot_;

    emoscope::FeatureConfig config_;
    std::unique_ptr<emoscope::StreamingLogMel> mel_;
    std::unique_ptr<emoscope::StreamingResampler> resampler_;
    std::shared_ptr<RecordedTake> take_;
    std::vector<float> chunk_, resampled_;
    std::vector<double> centres_;
    // Display rings (oldest at the write index).
    std::vector<float> wave_;
    std::size_t waveWrite_ = 0;
    std::vector<float> cols_; // displayCols_ x nMels, column-major
    int displayCols_ = 0;
    int colWrite_ = 0;
    // The display's 80 dB range hangs from this ceiling. It never goes below kLowestCeilDb: digital silence is
    // 10 log10(amin) = -100 dB, and a ceiling that followed it down would draw silence in the brightest colour.
    static constexpr double kLowestCeilDb = -10.0;
    double ceilDb_ = kLowestCeilDb;
    long long featureSamples_ = 0;
    long long nextLiveAt_ = 0;
    bool active_ = false;
    quint64 takeId_ = 0;
};
