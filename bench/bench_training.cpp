// SPDX-License-Identifier: GPL-3.0-or-later
// Seconds per training epoch over TESS's 2,380 train clips (fixed split), with 1 and 2 compute threads, including
// augmentation and batch assembly (features are prepared once beforehand, as the Trainer caches them).
// Usage: bench_training [BLOCKS_PER_STAGE] [WIDTHS e.g. 32,64,128,256]
#include "train/Dataset.h"
#include "train/Trainer.h"
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>

using namespace emoscope;

int main(int argc, char** argv)
{
    TrainOptions o;
    o.epochs = 1;
    o.validationFraction = 0; // time the training pass only
    o.augment.noise = true;   // the shipped model's augmentations
    o.arch.blocksPerStage = argc > 1 ? std::atoi(argv[1]) : 2;
    if (argc > 2) {
        o.arch.widths.clear();
        std::stringstream ss(argv[2]);
        std::string w;
        while (std::getline(ss, w, ',')) o.arch.widths.push_back(std::stoi(w));
    }
    const auto cache = std::filesystem::temp_directory_path() / "emoscope-bench-features";
    o.featureCacheDir = cache.string();

    ScanOptions scan;
    scan.probeFiles = false;
    const Dataset tess = scanDataset(std::string(EMOSCOPE_SHARED_DIR) + "/data/tess", scan);
    SplitSpec spec;
    spec.mode = SplitMode::Fixed;
    Split split = makeSplit(tess, spec);
    split.test.clear();
    std::printf("%zu train clips, widths", split.train.size());
    for (int w : o.arch.widths) std::printf(" %d", w);
    std::printf(", %d block(s) per stage, batch %d, crop %d frames\n", o.arch.blocksPerStage, o.batchSize,
                o.input.trainCropFrames);
    for (int threads : {1, 2}) {
        o.threads = threads;
        Trainer t(tess, split, o);
        const TrainResult r = t.run();
        std::printf("%d thread(s): %.1f s per epoch\n", threads, r.history.at(0).seconds);
        std::fflush(stdout);
    }
    return 0;
}
