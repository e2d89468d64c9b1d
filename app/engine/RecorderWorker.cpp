// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/RecorderWorker.h"

#include "dsp/MelFilterbank.h"
#include "audio/SampleRing.h"

#include <algorithm>
#include <cmath>

RecorderWorker::RecorderWorker(Callbacks callbacks) : callbacks_(std::move(callbacks)) {}

RecorderWorker::~RecorderWorker() = default;

void RecorderWorker::wake()
{
    if (!wakePending_.exchange(true))
        QMetaObject::invokeMethod(this, [this] { drain(); }, Qt::QueuedConnection);
}

std::optional<LiveSnapshot> RecorderWorker::takeSnapshot()
{
    std::optional<LiveSnapshot> out;
    {
        std::lock_guard lock(snapshotMutex_);
        out.swap(snapshot_);
    }
    snapshotWanted_ = true;
    if (unpublished_.load())
        wake();
    return out;
}

void RecorderWorker::begin(const emoscope::FeatureConfig& config, int inputRate, quint64 takeId,
                           std::shared_ptr<emoscope::SampleRing> ring)
{
    ring_ = std::move(ring);
    takeId_ = takeId;
    config_ = config;
    mel_ = std::make_unique<emoscope::StreamingLogMel>(config);
    resampler_ = std::make_unique<emoscope::StreamingResampler>(inputRate, config.sampleRate);
    centres_ = emoscope::MelFilterbank(config).centreFrequencies();
    take_ = std::make_shared<RecordedTake>();
    take_->audio.sampleRate = inputRate;
    take_->features = config;
    take_->melPower = emoscope::MelMatrix(config.nMels, 0);
    wave_.assign(std::size_t(displaySeconds * config.sampleRate), 0.0f);
    waveWrite_ = 0;
    displayCols_ = int(std::ceil(displaySeconds * config.sampleRate / config.hopLength));
    cols_.assign(std::size_t(displayCols_) * std::size_t(config.nMels), -200.0f);
    colWrite_ = 0;
    ceilDb_ = kLowestCeilDb;
    featureSamples_ = 0;
    nextLiveAt_ = std::llround(liveEverySeconds * config.sampleRate);
    active_ = true;
    snapshotWanted_ = true;
}

void RecorderWorker::drain()
{
    wakePending_ = false; // from here on, new data schedules another drain
    if (!ring_)
        return;
    chunk_.resize(8192);
    for (;;) {
        const std::size_t n = ring_->read(chunk_.data(), chunk_.size());
        if (n == 0)
            break;
        if (active_) {
            consume(chunk_.data(), n);
            unpublished_ = true;
        }
    }
    if (active_ && snapshotWanted_.exchange(false))
        publish();
}

void RecorderWorker::consume(const float* samples, std::size_t n)
{
    take_->audio.samples.insert(take_->audio.samples.end(), samples, samples + n);
    resampled_.clear();
    resampler_->process(samples, n, resampled_);
    if (resampled_.empty())
        return;
    addColumns(mel_->push(resampled_.data(), resampled_.size()));

    for (float s : resampled_) {
        wave_[waveWrite_] = s;
        waveWrite_ = (waveWrite_ + 1) % wave_.size();
    }
    featureSamples_ += (long long)resampled_.size();
    if (featureSamples_ >= nextLiveAt_) {
        nextLiveAt_ = featureSamples_ + std::llround(liveEverySeconds * config_.sampleRate);
        if (callbacks_.liveAudio) {
            // The live window is cut from the take at the device rate: the classifier resamples it with core's
            // resampler, the one the model's training features went through (not the display's streaming one).
            const std::vector<float>& take = take_->audio.samples;
            const std::size_t keep = std::size_t(liveWindowSeconds * take_->audio.sampleRate);
            const std::size_t count = std::min(keep, take.size());
            emoscope::AudioBuffer window;
            window.sampleRate = take_->audio.sampleRate;
            window.samples.assign(take.end() - std::ptrdiff_t(count), take.end());
            callbacks_.liveAudio(std::move(window), takeId_);
        }
    }
}

void RecorderWorker::addColumns(const emoscope::MelMatrix& power)
{
    if (power.frames == 0)
        return;
    take_->melPower.appendFrames(power);
    const int mels = power.nMels;
    for (int f = 0; f < power.frames; ++f) {
        float* col = cols_.data() + std::size_t(colWrite_) * std::size_t(mels);
        double colMax = -200.0;
        for (int m = 0; m < mels; ++m) {
            const double db = 10.0 * std::log10(std::max(double(power.at(m, f)), config_.amin));
            col[m] = float(db);
            colMax = std::max(colMax, db);
        }
        // Slow decay (about 1 dB/s) so one loud click does not darken the view for good.
        ceilDb_ = std::max({colMax, ceilDb_ - 0.025, kLowestCeilDb});
        colWrite_ = (colWrite_ + 1) % displayCols_;
    }
}

void RecorderWorker::publish()
{
    unpublished_ = false;
    LiveSnapshot s;
    s.sampleRate = config_.sampleRate;
    s.waveform.reserve(wave_.size());
    s.waveform.insert(s.waveform.end(), wave_.begin() + std::ptrdiff_t(waveWrite_), wave_.end());
    s.waveform.insert(s.waveform.end(), wave_.begin(), wave_.begin() + std::ptrdiff_t(waveWrite_));
    const int mels = config_.nMels;
    s.db = emoscope::MelMatrix(mels, displayCols_);
    for (int i = 0; i < displayCols_; ++i) {
        const int src = (colWrite_ + i) % displayCols_;
        for (int m = 0; m < mels; ++m)
            s.db.at(m, i) = cols_[std::size_t(src) * std::size_t(mels) + std::size_t(m)];
    }
    s.ceilDb = ceilDb_;
    s.melCentresHz = centres_;
    s.hopSeconds = double(config_.hopLength) / config_.sampleRate;
    s.endSeconds = double(featureSamples_) / config_.sampleRate;
    std::lock_guard lock(snapshotMutex_);
    snapshot_ = std::move(s);
}

void RecorderWorker::finish()
{
    drain();
    if (!active_)
        return;
    addColumns(mel_->finish());
    take_->droppedSamples = ring_->dropped();
    active_ = false;
    publish();
    if (callbacks_.finished)
        callbacks_.finished(std::move(take_), takeId_);
    take_.reset();
}
