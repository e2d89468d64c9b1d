// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace emoscope {

// Lock-free single-producer / single-consumer ring of float samples. The audio capture path writes
// (never blocks, never allocates); the analysis worker reads. When the reader falls behind by more than
// the capacity, new samples are dropped and counted instead of blocking the audio thread.
class SampleRing {
public:
    explicit SampleRing(std::size_t capacity);

    // Producer side. Returns how many were stored.
    std::size_t write(const float* samples, std::size_t n);
    // Consumer side. Returns how many were copied into out.
    std::size_t read(float* out, std::size_t maxSamples);
    std::size_t available() const;
    std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
    // Only while neither side is active.
    void clear();

private:
    std::vector<float> data_;
    std::atomic<std::uint64_t> head_{0}; // total written
    std::atomic<std::uint64_t> tail_{0}; // total read
    std::atomic<std::uint64_t> dropped_{0};
};

} // namespace emoscope
