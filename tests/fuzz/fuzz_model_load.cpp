// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: any bytes as a model file. readModelCard (the card dialog) and Classifier::load (which builds
// the network, copies the weights and runs the probe input) must only ever throw ModelError.
#include "FuzzFile.h"
#include "infer/Classifier.h"
#include "model/ModelError.h"
#include "model/ModelFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::vector<std::uint8_t> input = fuzzing::withValidChecksum(data, size);
    const std::string& path = fuzzing::writeScratch(input.data(), input.size(), ".pt");
    try {
        (void)emoscope::readModelCard(path);
    } catch (const emoscope::ModelError&) {
        return 0;
    }
    try {
        (void)emoscope::Classifier::load(path);
    } catch (const emoscope::ModelError&) {
    }
    return 0;
}
