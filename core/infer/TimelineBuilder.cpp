// SPDX-License-Identifier: GPL-3.0-or-later
#include "infer/TimelineBuilder.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <stdexcept>
#include <string>

namespace emoscope {

void checkTimelineOptions(const TimelineOptions& o)
{
    // Checked before any float -> integer conversion: --window inf would otherwise be undefined behaviour.
    if (!std::isfinite(o.windowSeconds) || !(o.windowSeconds > 0) || o.windowSeconds > 600)
        throw std::invalid_argument("timeline window must be > 0 and at most 600 seconds, got " +
                                    std::to_string(o.windowSeconds));
    if (!std::isfinite(o.hopSeconds) || !(o.hopSeconds > 0))
        throw std::invalid_argument("timeline window and hop must be > 0 seconds");
    if (o.hopSeconds < 0.01 || o.hopSeconds > 600)
        throw std::invalid_argument("timeline hop must be 0.01..600 seconds, got " + std::to_string(o.hopSeconds));
}

struct TimelineBuilder::Impl {
    int sr = 0;
    Calibration calibration;
    Features features;
    Forward forward;
    Sink sink;
    std::size_t win = 0, hop = 0;
    std::unique_ptr<SpeechDetector> vad;

    std::vector<float> buf; // samples from bufOff on
    std::size_t bufOff = 0;
    std::size_t total = 0;      // samples pushed
    std::size_t nextStart = 0;  // start of the next regular window
    bool anyRegular = false;

    std::vector<MelMatrix> prepared;                         // waiting for a batch
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // their [start, end)
    std::deque<TimelineWindow> waiting;                      // classified, waiting for a final speech decision
    std::deque<std::size_t> waitingEndFrame;

    static constexpr std::size_t kBatch = 32; // equal-length windows go through the network together

    double speechIn(std::size_t a, std::size_t b) const
    {
        const SpeechActivity& s = vad->activity();
        const double frame = SpeechDetector::kFrameSeconds;
        const std::size_t first = std::size_t(double(a) / sr / frame + 0.5);
        const std::size_t last = std::min(s.frameIsSpeech.size(), std::size_t(double(b) / sr / frame + 0.5));
        std::size_t n = 0;
        for (std::size_t f = first; f < last; ++f) n += s.frameIsSpeech[f];
        return double(n) * frame;
    }

    void add(std::size_t a, std::size_t b)
    {
        prepared.push_back(features(buf.data() + (a - bufOff), b - a));
        spans.emplace_back(a, b);
        if (prepared.size() >= kBatch) runBatch();
    }

    void runBatch()
    {
        if (prepared.empty()) return;
        std::vector<const MelMatrix*> batch;
        for (const MelMatrix& m : prepared) batch.push_back(&m);
        auto probs = forward(batch);
        for (std::size_t i = 0; i < prepared.size(); ++i) {
            TimelineWindow w;
            w.startSeconds = double(spans[i].first) / sr;
            w.endSeconds = double(spans[i].second) / sr;
            w.probabilities = std::move(probs[i]);
            waiting.push_back(std::move(w));
            waitingEndFrame.push_back(std::size_t(double(spans[i].second) / sr / SpeechDetector::kFrameSeconds + 0.5));
        }
        prepared.clear();
        spans.clear();
    }

    // Releases the classified windows whose speech frames are all final.
    void release(bool all)
    {
        std::vector<TimelineWindow> ready;
        while (!waiting.empty() && (all || waitingEndFrame.front() <= vad->finalFrames())) {
            TimelineWindow w = std::move(waiting.front());
            const std::size_t a = std::size_t(std::llround(w.startSeconds * sr));
            const std::size_t b = std::size_t(std::llround(w.endSeconds * sr));
            w.speechSeconds = speechIn(a, b);
            const double length = w.endSeconds - w.startSeconds;
            w.status = verdictFor(w.probabilities, w.speechSeconds, length > 0 ? w.speechSeconds / length : 0.0,
                                  calibration);
            ready.push_back(std::move(w));
            waiting.pop_front();
            waitingEndFrame.pop_front();
        }
        if (!ready.empty()) sink(std::move(ready));
    }

    void trim()
    {
        // The flush window at the end may need the last `win` samples; regular windows need from nextStart on.
        const std::size_t keep = std::min(nextStart, total > win ? total - win : 0);
        if (keep > bufOff + (std::size_t(1) << 18)) {
            buf.erase(buf.begin(), buf.begin() + long(keep - bufOff));
            bufOff = keep;
        }
    }
};

TimelineBuilder::TimelineBuilder(int sampleRate, const TimelineOptions& options, const Calibration& calibration,
                                 Features features, Forward forward, Sink sink)
    : impl_(std::make_unique<Impl>())
{
    checkTimelineOptions(options);
    if (sampleRate <= 0) throw std::invalid_argument("audio has no sample rate");
    Impl& d = *impl_;
    d.sr = sampleRate;
    d.calibration = calibration;
    d.features = std::move(features);
    d.forward = std::move(forward);
    d.sink = std::move(sink);
    d.win = std::max<std::size_t>(1, std::size_t(options.windowSeconds * sampleRate + 0.5));
    d.hop = std::max<std::size_t>(1, std::size_t(options.hopSeconds * sampleRate + 0.5));
    d.vad = std::make_unique<SpeechDetector>(sampleRate);
}

TimelineBuilder::~TimelineBuilder() = default;

void TimelineBuilder::push(const float* samples, std::size_t n)
{
    Impl& d = *impl_;
    d.buf.insert(d.buf.end(), samples, samples + n);
    d.total += n;
    d.vad->push(samples, n);
    // Regular windows [s, s + win) while they fit: the same as the whole-audio rule "start + win <= n".
    // Only when more than one window's worth is known: audio no longer than a window is one window of all of it.
    while (d.total > d.win && d.nextStart + d.win <= d.total) {
        d.add(d.nextStart, d.nextStart + d.win);
        d.anyRegular = true;
        d.nextStart += d.hop;
    }
    d.release(false);
    d.trim();
}

void TimelineBuilder::finish()
{
    Impl& d = *impl_;
    if (d.total == 0) throw std::invalid_argument("empty audio");
    d.vad->finish();
    if (d.total <= d.win) {
        d.add(0, d.total);
    } else {
        // Regular windows that fit exactly at the end were already added in push; a last window flush with the end
        // so the tail is never dropped.
        const std::size_t lastEnd = d.nextStart - d.hop + d.win;
        if (!d.anyRegular || lastEnd < d.total) d.add(d.total - d.win, d.total);
    }
    d.runBatch();
    d.release(true);
}

const SpeechActivity& TimelineBuilder::speech() const { return impl_->vad->activity(); }

} // namespace emoscope
