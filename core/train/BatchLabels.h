// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>
#include <vector>

namespace emoscope {

// The true label of each file of a batch, read exactly as scanDataset reads a dataset: the files' common folder is
// scanned (without probing: only names, folders and a manifest.csv are read) and each file gets its clip's
// canonical label, or "" when the scan gives it none. When that folder is itself named after a label
// (".../angry/"), its parent is scanned, so a folder-per-label selection keeps its folder's label. Never throws: a
// folder that cannot be scanned, or a filesystem root, gives no labels.
std::vector<std::string> batchTrueLabels(const std::vector<std::string>& files);

} // namespace emoscope
