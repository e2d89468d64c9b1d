// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the fuzz targets' seed corpora (nothing from the data corpora): small WAV/FLAC/OGG files made here, a tiny
// model file and a tiny checkpoint from a 2-channel network. Usage: fuzz_make_seeds <folder>
#include "audio/WavWriter.h"
#include "net/ModelIO.h"
#include "train/CheckpointFile.h"
#include <sndfile.h>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>

using namespace emoscope;

namespace {

constexpr double kPi = 3.14159265358979323846; // std::numbers is C++20; this file is C++17 (see CMakeLists.txt)

void writeWith(const std::string& path, int format, int rate, int channels, const std::vector<float>& x)
{
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!f) {
        std::fprintf(stderr, "%s: %s\n", path.c_str(), sf_strerror(nullptr));
        return;
    }
    sf_writef_float(f, x.data(), sf_count_t(x.size() / std::size_t(channels)));
    sf_close(f);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_make_seeds <folder>\n");
        return 2;
    }
    const std::filesystem::path root = argv[1];
    for (const char* d : {"decode", "model", "checkpoint"}) std::filesystem::create_directories(root / d);

    // Audio: 0.05 s tones (small inputs fuzz faster), several containers, encodings, rates and channel counts.
    for (int rate : {8000, 16000, 44100}) {
        std::vector<float> x(std::size_t(rate / 20));
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(0.4 * std::sin(2.0 * kPi * 440.0 * double(i) / rate));
        const std::string base = (root / "decode" / ("tone" + std::to_string(rate))).string();
        writeWith(base + "-pcm16.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, rate, 1, x);
        writeWith(base + "-float.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, rate, 1, x);
        writeWith(base + ".flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, rate, 1, x);
        writeWith(base + ".aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_24, rate, 1, x);
        if (rate == 16000) {
            writeWith(base + ".ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, rate, 1, x);
            std::vector<float> stereo;
            for (float v : x) {
                stereo.push_back(v);
                stereo.push_back(-v);
            }
            writeWith(base + "-stereo.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, rate, 2, stereo);
        }
    }

    // A tiny model: one stage of 2 channels, 3 labels, 8 mels.
    ModelCard card;
    card.labels = {"angry", "happy", "sad"};
    card.features.sampleRate = 8000;
    card.features.nFft = 256;
    card.features.winLength = 256;
    card.features.hopLength = 128;
    card.features.nMels = 8;
    card.arch.widths = {2};
    card.arch.blocksPerStage = 1;
    card.input.minFrames = 8;
    card.input.trainCropFrames = 16;
    torch::manual_seed(1);
    ResNet net(card.arch, int(card.labels.size()));
    net->eval();
    saveModelFile((root / "model" / "tiny.pt").string(), card, net);

    // A tiny checkpoint after one optimiser step (so the AdamW moments are present).
    ResNet best(card.arch, int(card.labels.size()));
    net->train();
    torch::optim::AdamW optimizer(net->parameters(), torch::optim::AdamWOptions(1e-3));
    const torch::Tensor loss = net->forward(torch::randn({2, 1, 8, 16})).logsumexp(1).sum();
    loss.backward();
    optimizer.step();
    CheckpointState state;
    state.cardJson = card.toJson();
    state.epoch = 1;
    state.bestEpoch = 1;
    state.bestUar = 0.5;
    state.bestValLoss = 1.0;
    state.historyJson = "[]";
    state.fingerprint = "{}";
    CheckpointFile::write((root / "checkpoint" / "tiny.ckpt").string(), state, net, best, optimizer);
    std::printf("seeds written to %s\n", root.c_str());
    return 0;
}
