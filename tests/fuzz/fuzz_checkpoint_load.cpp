// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: any bytes as a training checkpoint. readCheckpoint (container, JSON state, card, tensor
// inventory) must only ever throw ModelError; when it accepts, restoring into the card's network and an AdamW
// optimiser (what --resume does next) must too.
#include "FuzzFile.h"
#include "model/ModelError.h"
#include "train/Checkpoint.h"
#include "train/CheckpointFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::vector<std::uint8_t> input = fuzzing::withValidChecksum(data, size);
    const std::string& path = fuzzing::writeScratch(input.data(), input.size(), ".ckpt");
    try {
        const emoscope::CheckpointInfo info = emoscope::readCheckpoint(path);
        emoscope::ResNet net(info.card.arch, int(info.card.labels.size()));
        emoscope::ResNet best(info.card.arch, int(info.card.labels.size()));
        torch::optim::AdamW optimizer(net->parameters(), torch::optim::AdamWOptions(1e-3));
        emoscope::CheckpointFile::read(path).restore(net, best, optimizer);
    } catch (const emoscope::ModelError&) {
    }
    return 0;
}
