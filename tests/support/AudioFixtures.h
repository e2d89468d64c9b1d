// SPDX-License-Identifier: GPL-3.0-or-later
// Generated non-speech fixtures for the "no speech" checks (tests and bench/bench_vad): digital silence, quiet
// pink noise, mains hum, a very short tone, loud white noise and a tone sweep. Plain C++, seeded, deterministic.
#pragma once
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace fixtures {

constexpr int kRate = 22050; // the bundled model's rate, so the CLI does not resample them
constexpr double kPi = 3.14159265358979323846;

struct Fixture {
    std::string name;
    std::vector<float> samples; // at kRate
};

inline float dbfs(double db) { return float(std::pow(10.0, db / 20.0)); }

// Scales to an RMS level in dBFS (a full-scale sine is -3 dBFS RMS).
inline std::vector<float> withRms(std::vector<float> x, double db)
{
    double e = 0;
    for (float v : x) e += double(v) * v;
    const double rms = std::sqrt(e / double(std::max<std::size_t>(1, x.size())));
    if (rms > 0)
        for (float& v : x) v = float(v * dbfs(db) / rms);
    return x;
}

inline std::vector<float> silence(double seconds) { return std::vector<float>(std::size_t(seconds * kRate), 0.0f); }

inline std::vector<float> whiteNoise(double seconds, double rmsDb, unsigned seed = 1)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> n(0.0f, 1.0f);
    std::vector<float> x(std::size_t(seconds * kRate));
    for (float& v : x) v = n(rng);
    return withRms(std::move(x), rmsDb);
}

// Paul Kellet's refined pink filter over white noise (-3 dB/octave within 0.05 dB above 10 Hz).
inline std::vector<float> pinkNoise(double seconds, double rmsDb, unsigned seed = 2)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> n(0.0, 1.0);
    std::vector<float> x(std::size_t(seconds * kRate));
    double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
    for (float& v : x) {
        const double w = n(rng);
        b0 = 0.99886 * b0 + w * 0.0555179;
        b1 = 0.99332 * b1 + w * 0.0750759;
        b2 = 0.96900 * b2 + w * 0.1538520;
        b3 = 0.86650 * b3 + w * 0.3104856;
        b4 = 0.55000 * b4 + w * 0.5329522;
        b5 = -0.7616 * b5 - w * 0.0168980;
        v = float(b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362);
        b6 = w * 0.115926;
    }
    return withRms(std::move(x), rmsDb);
}

// Mains hum: 50 Hz with its first harmonics, as a ground loop sounds.
inline std::vector<float> hum(double seconds, double rmsDb)
{
    std::vector<float> x(std::size_t(seconds * kRate));
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / kRate;
        x[i] = float(std::sin(2 * kPi * 50 * t) + 0.5 * std::sin(2 * kPi * 100 * t) + 0.3 * std::sin(2 * kPi * 150 * t));
    }
    return withRms(std::move(x), rmsDb);
}

inline std::vector<float> tone(double seconds, double hz, double rmsDb)
{
    std::vector<float> x(std::size_t(seconds * kRate));
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(std::sin(2 * kPi * hz * double(i) / kRate));
    return withRms(std::move(x), rmsDb);
}

// Exponential sine sweep from f0 to f1.
inline std::vector<float> sweep(double seconds, double f0, double f1, double rmsDb)
{
    std::vector<float> x(std::size_t(seconds * kRate));
    const double k = std::log(f1 / f0);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / kRate;
        x[i] = float(std::sin(2 * kPi * f0 * seconds / k * (std::exp(t / seconds * k) - 1.0)));
    }
    return withRms(std::move(x), rmsDb);
}

// White noise through one resonance (RBJ band-pass biquad at hz with quality q), like a whining fan or a
// resonating duct: periodic enough at short lags to pass a plain voicing check.
inline std::vector<float> resonantNoise(double seconds, double hz, double q, double rmsDb, unsigned seed = 5)
{
    std::mt19937 rng(seed);
    std::normal_distribution<double> n(0.0, 1.0);
    const double w0 = 2 * kPi * hz / kRate, alpha = std::sin(w0) / (2 * q), a0 = 1 + alpha;
    const double b0 = alpha / a0, b2 = -alpha / a0, a1 = -2 * std::cos(w0) / a0, a2 = (1 - alpha) / a0;
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    std::vector<float> x(std::size_t(seconds * kRate));
    for (float& v : x) {
        const double in = n(rng), out = b0 * in + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1, x1 = in, y2 = y1, y1 = out;
        v = float(out);
    }
    return withRms(std::move(x), rmsDb);
}

// Narrow-band noises (resonantNoise) at the frequencies and qualities the voicing check used to let through.
inline std::vector<Fixture> narrowBandNoise()
{
    std::vector<Fixture> out;
    for (double hz : {500.0, 800.0, 1000.0, 1500.0, 2500.0})
        for (double q : {5.0, 20.0})
            out.push_back({"fan" + std::to_string(int(hz)) + "Hz-Q" + std::to_string(int(q)) + "-20dBFS",
                           resonantNoise(3.0, hz, q, -20, unsigned(hz + q))});
    return out;
}

// The list (3 s each except the 50 ms tone), plus louder noise, a louder sweep, a pure hum and a long tone.
inline std::vector<Fixture> nonSpeech()
{
    return {
        {"silence", silence(3.0)},
        {"pink-50dBFS", pinkNoise(3.0, -50)},
        {"hum50Hz-20dBFS", hum(3.0, -20)},
        {"tone1kHz-50ms", tone(0.05, 1000, -12)},
        {"white-20dBFS", whiteNoise(3.0, -20)},
        {"white-10dBFS", whiteNoise(3.0, -10, 3)},
        {"pink-20dBFS", pinkNoise(3.0, -20, 4)},
        {"sweep100-8kHz-20dBFS", sweep(3.0, 100, 8000, -20)},
        {"sweep100-8kHz-6dBFS", sweep(3.0, 100, 8000, -6)},
        {"sine50Hz-20dBFS", tone(3.0, 50, -20)},
        {"tone1kHz-3s-20dBFS", tone(3.0, 1000, -20)},
    };
}

} // namespace fixtures
