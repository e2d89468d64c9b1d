// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/SampleRing.h"

#include <algorithm>

namespace emoscope {

SampleRing::SampleRing(std::size_t capacity) : data_(std::max<std::size_t>(capacity, 1)) {}

std::size_t SampleRing::write(const float* samples, std::size_t n)
{
    const std::uint64_t head = head_.load(std::memory_order_relaxed);
    const std::uint64_t tail = tail_.load(std::memory_order_acquire);
    const std::size_t space = data_.size() - std::size_t(head - tail);
    const std::size_t count = std::min(n, space);
    const std::size_t start = std::size_t(head % data_.size());
    const std::size_t first = std::min(count, data_.size() - start);
    std::copy(samples, samples + first, data_.begin() + std::ptrdiff_t(start));
    std::copy(samples + first, samples + count, data_.begin());
    head_.store(head + count, std::memory_order_release);
    if (count < n)
        dropped_.fetch_add(n - count, std::memory_order_relaxed);
    return count;
}

std::size_t SampleRing::read(float* out, std::size_t maxSamples)
{
    const std::uint64_t tail = tail_.load(std::memory_order_relaxed);
    const std::uint64_t head = head_.load(std::memory_order_acquire);
    const std::size_t count = std::min(maxSamples, std::size_t(head - tail));
    const std::size_t start = std::size_t(tail % data_.size());
    const std::size_t first = std::min(count, data_.size() - start);
    std::copy(data_.begin() + std::ptrdiff_t(start), data_.begin() + std::ptrdiff_t(start + first), out);
    std::copy(data_.begin(), data_.begin() + std::ptrdiff_t(count - first), out + first);
    tail_.store(tail + count, std::memory_order_release);
    return count;
}

std::size_t SampleRing::available() const
{
    return std::size_t(head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire));
}

void SampleRing::clear()
{
    head_.store(0);
    tail_.store(0);
    dropped_.store(0);
}

} // namespace emoscope
