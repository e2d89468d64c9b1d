// SPDX-License-Identifier: GPL-3.0-or-later
#include "InferCliSupport.h"
#include "model/ModelError.h"
#include "util/ThreadLimit.h"
#include <algorithm>

namespace emoscope::cli {

std::shared_ptr<const Classifier> loadModelForCli(const std::optional<std::string>& modelOption)
{
    const std::string path = modelOption ? *modelOption : Classifier::findDefaultModel();
    if (path.empty())
        throw InputError("no model found: pass --model FILE or set EMOSCOPE_MODEL (looked next to the binary, in "
                         "share/emoscope/models and in the source tree's models/)");
    try {
        return Classifier::load(path);
    } catch (const ModelError& e) {
        throw InputError(e.what());
    }
}

int setUpBatchThreads(const ArgParser& parser, std::size_t files)
{
    const int cores = coreCount();
    const int requested = parser.integerIn("--jobs", 1, maxUserThreads()).value_or(std::min(cores, 2));
    const int jobs = std::max(1, int(std::min<std::size_t>(std::size_t(requested), std::max<std::size_t>(files, 1))));
    const int threads = threadsOption(parser);
    // One compute thread per worker unless asked: a clip's forward pass takes milliseconds, too little to split,
    // and the files spread over the cores instead. Measured on 2 cores (30 TESS clips, --jobs 1): 1.95 s with one
    // intra-op thread, 8.65 s with two (their synchronisation, worse on a busy machine).
    setComputeThreads(threads > 0 ? threads : 1);
    return jobs;
}

} // namespace emoscope::cli
