// SPDX-License-Identifier: GPL-3.0-or-later
// PRIVATE header (includes torch): shared by the training-layer runs (Trainer, Personalizer), for core .cpp files only.
#pragma once
#include "infer/Classifier.h"
#include "net/ResNet.h"
#include "net/TorchThreads.h"
#include <cstdint>
#include <ctime>
#include <string>

namespace emoscope {

// Mixes the seed with a stream number (epoch, purpose) so every epoch has its own reproducible generators:
// a resumed run re-creates exactly the generators the uninterrupted run would have used.
inline std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t stream)
{
    std::uint64_t z = seed * 0x9E3779B97F4A7C15ull + stream * 0xBF58476D1CE4E5B9ull + 0x94D049BB133111EBull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// ISO 8601 UTC time, for model cards.
inline std::string nowUtc()
{
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Sets the compute threads for a run and puts the previous count back when the run ends, so a library call
// leaves the process as it found it.
class ComputeThreadsScope {
public:
    explicit ComputeThreadsScope(int threads) : previous_(torchThreads()) { setTorchThreads(threads); }
    ~ComputeThreadsScope() { setTorchThreads(previous_); }
    ComputeThreadsScope(const ComputeThreadsScope&) = delete;
    ComputeThreadsScope& operator=(const ComputeThreadsScope&) = delete;

private:
    int previous_;
};

// A deep copy of a network (same architecture, own tensors).
inline ResNet cloneNet(const ResNet& src)
{
    ResNet copy(src->arch(), src->numLabels());
    copyState(*src, *copy);
    return copy;
}

} // namespace emoscope
