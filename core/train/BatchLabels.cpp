// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/BatchLabels.h"

#include "train/Dataset.h"

#include <filesystem>
#include <unordered_map>

namespace emoscope {

namespace fs = std::filesystem;

namespace {
bool isBelow(const fs::path& path, const fs::path& folder)
{
    const fs::path rel = path.lexically_relative(folder);
    return !rel.empty() && *rel.begin() != "..";
}
} // namespace

std::vector<std::string> batchTrueLabels(const std::vector<std::string>& files)
{
    std::vector<std::string> labels(files.size());
    if (files.empty()) return labels;
    std::vector<std::string> paths;
    for (const std::string& f : files) paths.push_back(fs::absolute(f).lexically_normal().string());
    // The deepest folder holding every file.
    fs::path root = fs::path(paths.front()).parent_path();
    for (const std::string& p : paths)
        while (!root.empty() && root != root.root_path() && !isBelow(p, root))
            root = root.parent_path();
    if (!canonicalLabel(root.filename().string()).empty()) root = root.parent_path();
    // Scanning "/" would walk the whole disk for files that share nothing but the root.
    if (root.empty() || root == root.root_path()) return labels;
    try {
        ScanOptions options;
        options.probeFiles = false; // the batch decodes each file anyway and reports what it cannot read
        const Dataset dataset = scanDataset(root.string(), options);
        std::unordered_map<std::string, std::string> byPath;
        for (const Clip& c : dataset.clips) byPath.emplace(c.path, c.label);
        for (std::size_t i = 0; i < paths.size(); ++i)
            if (const auto it = byPath.find(paths[i]); it != byPath.end()) labels[i] = it->second;
    } catch (const std::exception&) {
        // No labels: the table simply has no true-label column.
    }
    return labels;
}

} // namespace emoscope
