// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/FeatureConfig.h"
#include "dsp/MelMatrix.h"
#include <cstddef>
#include <memory>

namespace emoscope {

// Offline log-mel spectrogram (librosa.feature.melspectrogram + power_to_db(ref=np.max) equivalent).
// Construction builds the filterbank and window; FFTW plans come from a process-wide cache made once per size.
// Thread-safety: const methods may be called concurrently from any number of threads on one instance.
class LogMelExtractor {
public:
    explicit LogMelExtractor(const FeatureConfig& config);
    ~LogMelExtractor();
    LogMelExtractor(LogMelExtractor&&) noexcept;
    LogMelExtractor& operator=(LogMelExtractor&&) noexcept;

    const FeatureConfig& config() const;

    // Power (or magnitude, per config.power) mel spectrogram [nMels][framesFor(n)]. Samples at config.sampleRate.
    MelMatrix melPower(const float* samples, std::size_t n) const;
    // melPower followed by powerToDb with ref = the matrix maximum and config.topDb.
    MelMatrix logMel(const float* samples, std::size_t n) const;

    // In place: 10*log10(max(x, amin)) - 10*log10(max(ref, amin)), floored at max - topDb (topDb <= 0: no floor).
    // ref <= 0 means "the matrix maximum" (librosa ref=np.max).
    static void powerToDb(MelMatrix& m, double amin = 1e-10, double topDb = 80.0, double ref = 0.0);
    // For views, not for the model: powerToDb relative to the maximum, except that an all-zero matrix (digital
    // silence) has no loudest bin to be relative to, and is put at the floor, -topDb (-80 dB when topDb <= 0),
    // instead of 0 dB everywhere, "as loud as the loudest". The model's features keep librosa's rule (logMel).
    static void powerToDisplayDb(MelMatrix& m, double amin = 1e-10, double topDb = 80.0);
    // melPower followed by powerToDisplayDb with config.amin and config.topDb.
    MelMatrix displayLogMel(const float* samples, std::size_t n) const;

    // One STFT frame -> one mel column (power per config.power, not dB): frame has nFft raw samples, not windowed (the
    // periodic Hann of winLength, centred in nFft, is applied here). melOut receives nMels values. Used by the
    // streaming form so both share the same arithmetic; thread-safe (per-thread scratch).
    void frameToMel(const float* frame, float* melOut) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace emoscope
