// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/FeatureCache.h"
#include "audio/AudioDecoder.h"
#include "audio/SpeechTrim.h"
#include "dsp/LogMelExtractor.h"
#include "util/AtomicFile.h"
#include "util/ParallelFor.h"
#include "util/TextUtil.h"
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace emoscope {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'E', 'M', 'O', 'M', 'E', 'L', '1', '\n'};
constexpr char kAudioMagic[8] = {'E', 'M', 'O', 'W', 'A', 'V', '1', '\n'};

std::uint64_t fnv1a(const std::string& s, std::uint64_t h = 1469598103934665603ull)
{
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

bool readMel(const std::string& file, MelMatrix& out)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    char magic[8];
    std::int32_t mels = 0, frames = 0;
    in.read(magic, 8);
    in.read(reinterpret_cast<char*>(&mels), 4);
    in.read(reinterpret_cast<char*>(&frames), 4);
    if (!in || std::memcmp(magic, kMagic, 8) != 0 || mels <= 0 || frames <= 0 || mels > 4096 || frames > 10'000'000)
        return false;
    MelMatrix m(mels, frames);
    in.read(reinterpret_cast<char*>(m.data.data()), std::streamsize(m.data.size() * sizeof(float)));
    if (!in || in.peek() != EOF) return false; // short or over-long: ignore and recompute
    out = std::move(m);
    return true;
}

bool readAudio(const std::string& file, std::vector<float>& out)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    char magic[8];
    std::int64_t n = 0;
    in.read(magic, 8);
    in.read(reinterpret_cast<char*>(&n), 8);
    if (!in || std::memcmp(magic, kAudioMagic, 8) != 0 || n <= 0 || n > 2'000'000'000) return false;
    std::vector<float> a(static_cast<std::size_t>(n));
    in.read(reinterpret_cast<char*>(a.data()), std::streamsize(a.size() * sizeof(float)));
    if (!in || in.peek() != EOF) return false; // short or over-long: ignore and recompute
    out = std::move(a);
    return true;
}

std::string melBytes(const MelMatrix& m)
{
    std::string bytes(kMagic, 8);
    const std::int32_t dims[2] = {m.nMels, m.frames};
    bytes.append(reinterpret_cast<const char*>(dims), 8);
    bytes.append(reinterpret_cast<const char*>(m.data.data()), m.data.size() * sizeof(float));
    return bytes;
}

std::string audioBytes(const std::vector<float>& a)
{
    std::string bytes(kAudioMagic, 8);
    const std::int64_t n = std::int64_t(a.size());
    bytes.append(reinterpret_cast<const char*>(&n), 8);
    bytes.append(reinterpret_cast<const char*>(a.data()), a.size() * sizeof(float));
    return bytes;
}

} // namespace

FeatureCache::FeatureCache(FeatureConfig config, std::string diskDir, bool keepAudio,
                           std::optional<double> speechTrimMargin)
    : config_(std::move(config)), keepAudio_(keepAudio), speechTrimMargin_(speechTrimMargin),
      configJson_(config_.toJson() + (keepAudio ? "\naudio" : "") +
                  (speechTrimMargin ? "\nspeech trim " + std::to_string(*speechTrimMargin) : "")),
      diskDir_(std::move(diskDir))
{
    if (speechTrimMargin_ && !(*speechTrimMargin_ >= 0))
        throw std::invalid_argument("feature cache: the speech trim margin must be >= 0 seconds");
}

std::optional<double> FeatureCache::speechTrimMarginOf(const InputPolicy& input)
{
    return input.trimToSpeech ? std::optional(input.trimMarginSeconds) : std::nullopt;
}

std::string FeatureCache::diskPath(const std::string& path) const
{
    if (diskDir_.empty()) return {};
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) return {};
    const auto mtime = fs::last_write_time(path, ec).time_since_epoch().count();
    if (ec) return {};
    const std::string key = fs::absolute(path, ec).string() + '\n' + std::to_string(mtime) + '\n' + std::to_string(size) +
                            '\n' + configJson_;
    char name[40];
    std::snprintf(name, sizeof name, "%016llx.mel", static_cast<unsigned long long>(fnv1a(key)));
    return (fs::path(diskDir_) / name).string();
}

std::vector<float> FeatureCache::decode(const std::string& path) const
{
    DecodeOptions o;
    o.targetSampleRate = config_.sampleRate;
    std::vector<float> samples = loadAudio(path, o).samples;
    // One NaN sample vanishes in the dB floor of the log-mel (or makes every loss NaN with waveform augmentation):
    // such a clip is named and left out here, whatever the decoder lets through.
    for (float v : samples)
        if (!std::isfinite(v))
            throw std::runtime_error(path + ": non-finite samples (NaN or infinite values)");
    if (speechTrimMargin_) return trimToSpeech(AudioBuffer{std::move(samples), config_.sampleRate}, *speechTrimMargin_);
    return samples;
}

MelMatrix FeatureCache::features(const std::vector<float>& samples) const
{
    thread_local std::unique_ptr<LogMelExtractor> extractor; // one per worker thread, rebuilt if the config changes
    if (!extractor || !(extractor->config() == config_)) extractor = std::make_unique<LogMelExtractor>(config_);
    return extractor->logMel(samples.data(), samples.size());
}

FeatureCache::Outcome FeatureCache::prepare(const std::vector<std::string>& files, int threads,
                                            const std::function<void(int, int)>& progress,
                                            const std::atomic<bool>* cancel)
{
    Outcome outcome;
    diskHits_ = computed_ = 0;
    if (!diskDir_.empty()) {
        std::error_code ec;
        fs::create_directories(diskDir_, ec); // failure surfaces as cache misses, never as a training error
    }
    const int total = int(files.size());
    std::vector<std::string> errors(files.size());
    std::atomic<int> hits{0}, computed{0};
    parallelFor(total, threads, [&](int i) {
        const std::string& path = files[i];
        if (!(cancel && cancel->load()) && !contains(path)) {
            MelMatrix m;
            std::vector<float> a;
            const std::string disk = diskPath(path);
            if (!disk.empty() && (keepAudio_ ? readAudio(disk, a) : readMel(disk, m))) {
                ++hits;
                if (keepAudio_) m = features(a);
            } else {
                try {
                    a = decode(path);
                    m = features(a);
                    ++computed;
                    if (!disk.empty()) {
                        try {
                            writeBytesAtomically(disk, keepAudio_ ? audioBytes(a) : melBytes(m));
                        } catch (const std::exception&) {
                            // A read-only cache folder only costs speed.
                        }
                    }
                } catch (const std::exception& e) {
                    errors[i] = withPathPrefix(path, e.what());
                }
            }
            if (errors[i].empty()) {
                std::lock_guard lock(mutex_);
                memory_.emplace(path, std::move(m));
                if (keepAudio_) audio_.emplace(path, std::move(a));
            }
        }
    }, progress);
    outcome.cancelled = cancel && cancel->load();
    for (int i = 0; i < total; ++i) {
        if (!errors[i].empty()) {
            outcome.failed.push_back(i);
            outcome.errors.push_back(errors[i]);
        }
    }
    diskHits_ = hits;
    computed_ = computed;
    return outcome;
}

const MelMatrix& FeatureCache::get(const std::string& path) const
{
    std::lock_guard lock(mutex_);
    auto it = memory_.find(path);
    if (it == memory_.end()) throw std::out_of_range(path + ": no features prepared");
    return it->second;
}

const std::vector<float>& FeatureCache::audio(const std::string& path) const
{
    std::lock_guard lock(mutex_);
    auto it = audio_.find(path);
    if (it == audio_.end()) throw std::out_of_range(path + ": no audio kept");
    return it->second;
}

bool FeatureCache::contains(const std::string& path) const
{
    std::lock_guard lock(mutex_);
    return memory_.count(path) != 0;
}

} // namespace emoscope
