// SPDX-License-Identifier: GPL-3.0-or-later
#include "dsp/StreamingLogMel.h"

#include "dsp/LogMelExtractor.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace emoscope {

// Works on the padded signal [nFft/2 zeros] + samples + [nFft/2 zeros] (centre) or the samples alone, exactly as
// the offline transform does; frame t covers padded[t*hop, t*hop + nFft) and is emitted once all of it is known.
struct StreamingLogMel::Impl {
    LogMelExtractor extractor;
    int pad;
    std::vector<float> buffer;  // padded signal from index bufferStart on
    long long bufferStart = 0;  // padded index of buffer[0]
    long long pushed = 0;       // real samples pushed
    long long emitted = 0;      // frames emitted
    bool finished = false;
    std::vector<float> column;

    explicit Impl(const FeatureConfig& c)
        : extractor(c), pad(c.center ? c.nFft / 2 : 0), column(std::size_t(c.nMels))
    {
        restart();
    }

    void restart()
    {
        buffer.assign(std::size_t(pad), 0.0f); // left centre padding
        bufferStart = 0;
        pushed = 0;
        emitted = 0;
        finished = false;
    }

    // Emits every frame that lies wholly inside the buffer, up to maxFrames in total.
    MelMatrix emit(long long maxFrames)
    {
        const FeatureConfig& c = extractor.config();
        const long long bufferEnd = bufferStart + static_cast<long long>(buffer.size());
        long long last = emitted; // one past the last frame to emit
        while (last < maxFrames && last * c.hopLength + c.nFft <= bufferEnd)
            ++last;
        const int count = static_cast<int>(last - emitted);
        MelMatrix out(c.nMels, count);
        for (int i = 0; i < count; ++i) {
            const long long start = (emitted + i) * c.hopLength - bufferStart;
            extractor.frameToMel(buffer.data() + start, column.data());
            for (int m = 0; m < c.nMels; ++m)
                out.data[std::size_t(m) * std::size_t(count) + std::size_t(i)] = column[std::size_t(m)];
        }
        emitted = last;
        // Drop what no later frame needs; in batches so 1-sample pushes do not shift the buffer every time.
        const long long keepFrom = emitted * c.hopLength;
        const long long droppable = keepFrom - bufferStart;
        if (droppable >= std::max<long long>(4096, static_cast<long long>(buffer.size()) / 2)) {
            buffer.erase(buffer.begin(), buffer.begin() + droppable);
            bufferStart = keepFrom;
        }
        return out;
    }
};

StreamingLogMel::StreamingLogMel(const FeatureConfig& config) : impl_(std::make_unique<Impl>(config)) {}

StreamingLogMel::~StreamingLogMel() = default;

MelMatrix StreamingLogMel::push(const float* samples, std::size_t n)
{
    if (impl_->finished)
        throw std::logic_error("StreamingLogMel::push after finish(): call reset() first");
    impl_->buffer.insert(impl_->buffer.end(), samples, samples + n);
    impl_->pushed += static_cast<long long>(n);
    // Frames complete so far can never exceed the final count (framesFor only grows with more samples).
    return impl_->emit(impl_->extractor.config().framesFor(impl_->pushed));
}

MelMatrix StreamingLogMel::finish()
{
    if (impl_->finished)
        return MelMatrix(impl_->extractor.config().nMels, 0);
    impl_->finished = true;
    impl_->buffer.insert(impl_->buffer.end(), std::size_t(impl_->pad), 0.0f); // right centre padding
    return impl_->emit(impl_->extractor.config().framesFor(impl_->pushed));
}

void StreamingLogMel::reset() { impl_->restart(); }

long long StreamingLogMel::samplesPushed() const { return impl_->pushed; }

long long StreamingLogMel::framesEmitted() const { return impl_->emitted; }

} // namespace emoscope
