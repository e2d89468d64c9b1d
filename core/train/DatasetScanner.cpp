// SPDX-License-Identifier: GPL-3.0-or-later
// scanDataset / combineDatasets and the Dataset summaries: turns a folder or CSV into labelled clips.
#include "train/Dataset.h"
#include "util/ParallelFor.h"
#include "util/TextUtil.h"

#include "audio/AudioDecoder.h"
#include "train/CsvReader.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace emoscope {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifestName = "manifest.csv";
constexpr const char* kSplitName = "split.csv";
constexpr int kProbeThreads = 2; // header reads are I/O bound; two threads already hide most latency

struct Candidate {
    std::string path; // absolute, normalised
    std::string label;
    std::string speaker;
};


std::string absoluteNormal(const fs::path& p)
{
    return fs::absolute(p).lexically_normal().string();
}

std::vector<std::string> splitTokens(const std::string& s, char sep)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const auto pos = s.find(sep, start);
        out.push_back(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
        if (pos == std::string::npos)
            return out;
        start = pos + 1;
    }
}

// TESS: SPEAKER_word_emotion, where the emotion may be the two tokens "pleasant_surprise(d)".
bool parseTessName(const std::string& stem, std::string& label, std::string& speaker)
{
    const auto tokens = splitTokens(stem, '_');
    const std::size_t n = tokens.size();
    if (n >= 4) {
        const std::string two = canonicalLabel(tokens[n - 2] + "_" + tokens[n - 1]);
        if (!two.empty() && !tokens[0].empty()) {
            label = two;
            speaker = tokens[0];
            return true;
        }
    }
    if (n >= 3) {
        const std::string one = canonicalLabel(tokens[n - 1]);
        if (!one.empty() && !tokens[0].empty()) {
            label = one;
            speaker = tokens[0];
            return true;
        }
    }
    return false;
}

// The reason part of an AudioError ("<path>: <reason>"); SkippedFile carries the path already.
std::string reasonFromMessage(const std::string& message, const std::string& path)
{
    const std::string prefix = path + ": ";
    if (message.size() > prefix.size() && message.compare(0, prefix.size(), prefix) == 0)
        return message.substr(prefix.size());
    return message.empty() ? std::string("unreadable audio file") : message;
}

// lexically normal absolute paths: is `path` at or below `folder`?
bool isInside(const std::string& path, const std::string& folder)
{
    const fs::path rel = fs::path(path).lexically_relative(folder);
    return !rel.empty() && *rel.begin() != "..";
}

// "" for a regular file (through links), else why it cannot be a clip.
std::string notARegularFile(const fs::path& p)
{
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (st.type() == fs::file_type::regular) return {};
    if (st.type() == fs::file_type::not_found) {
        std::error_code lec;
        return fs::is_symlink(fs::symlink_status(p, lec)) ? "a dangling link" : "missing";
    }
    if (ec && ec.value() == EACCES) return "permission denied";
    if (st.type() == fs::file_type::directory) return "a folder";
    if (st.type() == fs::file_type::fifo) return "a FIFO, not a regular file";
    if (ec) return "unreadable (" + ec.message() + ")";
    return "not a regular file (a device or socket)";
}

struct ManifestColumns {
    int path = -1, label = -1, speaker = -1;
    bool usable() const { return path >= 0 && label >= 0; }
};

ManifestColumns manifestColumns(const std::vector<std::string>& header)
{
    ManifestColumns c;
    c.path = csvColumn(header, {"path", "file", "filename"});
    c.label = csvColumn(header, {"label", "emotion"});
    c.speaker = csvColumn(header, {"speaker", "actor"});
    return c;
}

// Reads a manifest. Returns false (and adds nothing) when its header lacks path/label columns.
bool readManifest(const fs::path& csvPath, std::vector<Candidate>& candidates, std::vector<SkippedFile>& skipped)
{
    const auto rows = readCsvFile(csvPath.string());
    if (rows.empty())
        return false;
    const ManifestColumns cols = manifestColumns(rows[0]);
    if (!cols.usable())
        return false;
    const std::string csvName = csvPath.filename().string();
    const fs::path base = csvPath.parent_path();
    std::unordered_set<std::string> seen;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const std::string rowName = csvPath.string() + ":" + std::to_string(r + 1);
        if (int(row.size()) <= std::max(cols.path, cols.label) || trimSpace(row[std::size_t(cols.path)]).empty()) {
            skipped.push_back({rowName, "malformed row in " + csvName + " (no path or label)"});
            continue;
        }
        const fs::path listed = trimSpace(row[std::size_t(cols.path)]);
        const std::string path = absoluteNormal(listed.is_absolute() ? listed : base / listed);
        // Relative paths stay inside the manifest's folder: "../../x" is refused (absolute paths are explicit).
        if (!listed.is_absolute() && !isInside(path, absoluteNormal(base))) {
            skipped.push_back({rowName, "path '" + listed.string() + "' in " + csvName + " leaves the dataset folder"});
            continue;
        }
        const std::string labelText = trimSpace(row[std::size_t(cols.label)]);
        const std::string label = canonicalLabel(labelText);
        if (label.empty()) {
            skipped.push_back({path, "no emotion label in " + csvName + " ('" + labelText + "')"});
            continue;
        }
        if (const std::string why = notARegularFile(path); !why.empty()) {
            skipped.push_back({path, "listed in " + csvName + " but " + why});
            continue;
        }
        if (!seen.insert(path).second) {
            skipped.push_back({path, "listed twice in " + csvName});
            continue;
        }
        Candidate c;
        c.path = path;
        c.label = label;
        if (cols.speaker >= 0 && std::size_t(cols.speaker) < row.size())
            c.speaker = trimSpace(row[std::size_t(cols.speaker)]);
        candidates.push_back(std::move(c));
    }
    return true;
}

// A folder's manifest: manifest.csv, else the first other top-level .csv (not split.csv) with path,label columns.
std::optional<fs::path> findManifest(const fs::path& root)
{
    std::error_code ec;
    if (fs::is_regular_file(root / kManifestName, ec))
        return root / kManifestName;
    std::vector<fs::path> csvs;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path p = it->path();
        if (toLowerAscii(p.extension().string()) == ".csv" && toLowerAscii(p.filename().string()) != kSplitName
            && it->is_regular_file(ec))
            csvs.push_back(p);
    }
    std::sort(csvs.begin(), csvs.end());
    for (const auto& p : csvs) {
        try {
            const auto rows = readCsvFile(p.string());
            if (!rows.empty() && manifestColumns(rows[0]).usable())
                return p;
        } catch (const std::exception&) {
            // An unreadable stray CSV is not a manifest; keep looking.
        }
    }
    return std::nullopt;
}

// Walks a folder for audio files and labels them from TESS names or their folder, whichever most files follow.
DatasetLayout scanFolder(const fs::path& root, std::vector<Candidate>& candidates, std::vector<SkippedFile>& skipped)
{
    struct Found {
        std::string path, relative, nameLabel, speaker, folderLabel;
        bool tessName = false;
    };
    std::vector<Found> found;
    // An unreadable root is an error that says so ("permission denied"), not an empty dataset.
    std::error_code ec;
    fs::directory_iterator probe(root, ec);
    if (ec)
        throw std::runtime_error("cannot read dataset folder '" + root.string() + "': " + ec.message());
    // Our own walk (not recursive_directory_iterator): every folder, FIFO or link that cannot be used is listed in
    // skipped with its reason instead of silently ending the walk. Linked folders are followed (a dataset assembled
    // from symlinks is common), so cycles are guarded against.
    std::error_code rootEc;
    std::set<fs::path> visitedDirs{fs::canonical(root, rootEc)};
    std::vector<fs::path> pending{root};
    while (!pending.empty()) {
        const fs::path dir = pending.back();
        pending.pop_back();
        std::vector<fs::path> entries;
        std::error_code dirEc;
        for (fs::directory_iterator d(dir, dirEc), end; !dirEc && d != end; d.increment(dirEc))
            entries.push_back(d->path());
        if (dirEc) {
            skipped.push_back({absoluteNormal(dir), "folder not read: " + dirEc.message()});
            continue;
        }
        std::sort(entries.begin(), entries.end());
        for (auto e = entries.rbegin(); e != entries.rend(); ++e) { // reversed: the stack then walks in order
            const fs::path& p = *e;
            std::error_code fileEc;
            if (fs::is_directory(p, fileEc)) {
                const fs::path real = fs::canonical(p, fileEc);
                if (!fileEc && visitedDirs.insert(real).second)
                    pending.push_back(p);
                continue;
            }
            if (!hasAudioExtension(p.string()))
                continue;
            if (const std::string why = notARegularFile(p); !why.empty()) {
                skipped.push_back({absoluteNormal(p), why});
                continue;
            }
            Found f;
            f.path = absoluteNormal(p);
            f.relative = p.lexically_relative(root).generic_string();
            f.tessName = parseTessName(p.stem().string(), f.nameLabel, f.speaker);
            // Nearest enclosing folder (below root) named after a label: angry/session1/x.wav is angry too.
            const fs::path relative = p.lexically_relative(root);
            for (fs::path d = relative.parent_path(); !d.empty() && f.folderLabel.empty(); d = d.parent_path())
                f.folderLabel = canonicalLabel(d.filename().string());
            found.push_back(std::move(f));
        }
    }

    const auto tessCount = std::count_if(found.begin(), found.end(), [](const Found& f) { return f.tessName; });
    const auto folderCount = std::count_if(found.begin(), found.end(), [](const Found& f) { return !f.folderLabel.empty(); });
    const DatasetLayout layout = tessCount > folderCount ? DatasetLayout::Tess : DatasetLayout::FolderPerLabel;

    for (const auto& f : found) {
        Candidate c;
        c.path = f.path;
        // The layout's own rule first, the other as a fallback, so a stray file still gets its label.
        const bool useName = f.tessName && (layout == DatasetLayout::Tess || f.folderLabel.empty());
        if (useName) {
            c.label = f.nameLabel;
            c.speaker = f.speaker;
        } else if (!f.folderLabel.empty()) {
            c.label = f.folderLabel;
        } else {
            skipped.push_back({f.path, "no emotion label in name '" + f.relative + "'"});
            continue;
        }
        candidates.push_back(std::move(c));
    }
    return layout;
}

std::string normaliseSplit(const std::string& value)
{
    const std::string v = toLowerAscii(trimSpace(value));
    if (v == "test" || v == "testing")
        return "test";
    // Validation rows are training data as far as a train/test split goes; the Trainer carves its own.
    if (v == "train" || v == "training" || v == "val" || v == "valid" || v == "validation" || v == "dev")
        return "train";
    return {};
}

// split.csv (path,split) next to the data: absolute path -> "train"/"test". Missing or malformed: empty.
std::unordered_map<std::string, std::string> readSplitFile(const fs::path& folder)
{
    std::unordered_map<std::string, std::string> splits;
    const fs::path file = folder / kSplitName;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        return splits;
    try {
        const auto rows = readCsvFile(file.string());
        if (rows.empty())
            return splits;
        const int pathCol = csvColumn(rows[0], {"path", "file", "filename"});
        const int splitCol = csvColumn(rows[0], {"split", "set", "partition"});
        if (pathCol < 0 || splitCol < 0)
            return splits;
        for (std::size_t r = 1; r < rows.size(); ++r) {
            const auto& row = rows[r];
            if (int(row.size()) <= std::max(pathCol, splitCol))
                continue;
            const fs::path listed = trimSpace(row[std::size_t(pathCol)]);
            const std::string split = normaliseSplit(row[std::size_t(splitCol)]);
            if (!listed.empty() && !split.empty())
                splits[absoluteNormal(listed.is_absolute() ? listed : folder / listed)] = split;
        }
    } catch (const std::exception&) {
        // An unreadable split.csv only means there is no fixed split.
    }
    return splits;
}

// Opens every file's header in parallel; returns one error reason per candidate ("" = fine).
std::vector<std::string> probeAll(const std::vector<Candidate>& candidates)
{
    std::vector<std::string> errors(candidates.size());
    parallelFor(int(candidates.size()), kProbeThreads, [&](int i) {
        const std::string& path = candidates[std::size_t(i)].path;
        try {
            const AudioInfo info = probeAudio(path);
            if (info.frames <= 0)
                errors[std::size_t(i)] = "no audio samples (empty file)";
        } catch (const std::exception& e) {
            errors[std::size_t(i)] = reasonFromMessage(e.what(), path);
        }
    });
    return errors;
}

int indexOf(const std::vector<std::string>& labels, const std::string& label)
{
    const auto it = std::find(labels.begin(), labels.end(), label);
    return it == labels.end() ? -1 : int(it - labels.begin());
}

void sortByPath(Dataset& d)
{
    std::stable_sort(d.clips.begin(), d.clips.end(), [](const Clip& a, const Clip& b) { return a.path < b.path; });
    std::stable_sort(d.skipped.begin(), d.skipped.end(),
                     [](const SkippedFile& a, const SkippedFile& b) { return a.path < b.path; });
}

} // namespace

bool Dataset::hasFixedSplit() const
{
    return std::any_of(clips.begin(), clips.end(), [](const Clip& c) { return !c.fixedSplit.empty(); });
}

std::map<std::string, int> Dataset::countsPerLabel() const
{
    std::map<std::string, int> counts;
    for (const auto& label : labels)
        counts[label] = 0;
    for (const auto& clip : clips)
        ++counts[clip.label];
    return counts;
}

std::map<std::string, int> Dataset::countsPerSpeaker() const
{
    std::map<std::string, int> counts;
    for (const auto& clip : clips)
        if (!clip.speaker.empty())
            ++counts[clip.speaker];
    return counts;
}

std::vector<std::string> Dataset::speakers() const
{
    std::set<std::string> names;
    for (const auto& clip : clips)
        if (!clip.speaker.empty())
            names.insert(clip.speaker);
    return {names.begin(), names.end()};
}

Dataset scanDataset(const std::string& folderOrCsv, const ScanOptions& options)
{
    fs::path input = folderOrCsv.empty() ? fs::path() : fs::absolute(folderOrCsv).lexically_normal();
    if (!input.has_filename() && input.has_relative_path())
        input = input.parent_path(); // "data/tess/" and "data/tess" are the same root
    std::error_code ec;
    const bool exists = !folderOrCsv.empty() && fs::exists(input, ec);
    if (ec && ec.value() == EACCES)
        throw std::runtime_error("cannot read dataset '" + folderOrCsv + "': " + ec.message());
    if (!exists)
        throw std::runtime_error("dataset not found: '" + folderOrCsv + "'");

    Dataset dataset;
    dataset.roots.push_back(input.string());
    std::vector<Candidate> candidates;
    fs::path dataFolder; // where split.csv is looked for

    if (fs::is_regular_file(input, ec)) {
        if (toLowerAscii(input.extension().string()) != ".csv")
            throw std::runtime_error("dataset '" + folderOrCsv + "' is neither a folder nor a .csv manifest");
        dataFolder = input.parent_path();
        bool usable = false;
        try {
            usable = readManifest(input, candidates, dataset.skipped);
        } catch (const std::exception& e) {
            throw std::runtime_error("cannot read dataset manifest '" + folderOrCsv + "': " + e.what());
        }
        if (!usable)
            throw std::runtime_error("dataset manifest '" + folderOrCsv
                                     + "' needs a header with 'path' and 'label' (or 'emotion') columns");
        dataset.layout = DatasetLayout::CsvManifest;
    } else if (fs::is_directory(input, ec)) {
        dataFolder = input;
        // A manifest wins over guessing from names: it can carry speakers the names lack.
        const auto manifest = findManifest(input);
        bool usedManifest = false;
        if (manifest) {
            try {
                usedManifest = readManifest(*manifest, candidates, dataset.skipped);
            } catch (const std::exception& e) {
                throw std::runtime_error("cannot read dataset manifest '" + manifest->string() + "': " + e.what());
            }
        }
        if (usedManifest) {
            dataset.layout = DatasetLayout::CsvManifest;
        } else {
            candidates.clear();
            dataset.layout = scanFolder(input, candidates, dataset.skipped);
        }
    } else {
        throw std::runtime_error("dataset '" + folderOrCsv + "' is neither a folder nor a .csv manifest");
    }

    const std::vector<std::string> errors =
        options.probeFiles ? probeAll(candidates) : std::vector<std::string>(candidates.size());
    const auto splits = readSplitFile(dataFolder);
    dataset.clips.reserve(candidates.size());
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (!errors[i].empty()) {
            dataset.skipped.push_back({candidates[i].path, errors[i]});
            continue;
        }
        Clip clip;
        clip.path = candidates[i].path;
        clip.label = candidates[i].label;
        clip.labelIndex = indexOf(dataset.labels, clip.label);
        clip.speaker = candidates[i].speaker;
        if (const auto it = splits.find(clip.path); it != splits.end())
            clip.fixedSplit = it->second;
        clip.source = input.string();
        dataset.clips.push_back(std::move(clip));
    }
    sortByPath(dataset);
    return dataset;
}

Dataset combineDatasets(const std::vector<Dataset>& parts)
{
    Dataset combined;
    if (parts.empty())
        return combined;
    combined.layout = parts.front().layout;
    combined.labels = parts.front().labels;
    std::unordered_set<std::string> seen;
    for (const auto& part : parts) {
        if (part.labels != combined.labels)
            throw std::invalid_argument("cannot combine datasets with different label sets");
        combined.roots.insert(combined.roots.end(), part.roots.begin(), part.roots.end());
        combined.skipped.insert(combined.skipped.end(), part.skipped.begin(), part.skipped.end());
        for (const auto& clip : part.clips) {
            // The same folder given twice must not count its clips twice (nor leak them across a split).
            if (!seen.insert(clip.path).second) {
                combined.skipped.push_back({clip.path, "duplicate: already in the dataset from " + clip.source});
                continue;
            }
            combined.clips.push_back(clip);
        }
    }
    // Parts keep their own order (each sorted by path), so indices stay grouped by source.
    return combined;
}

std::string corpusNameOf(const std::string& root)
{
    std::filesystem::path p = std::filesystem::path(root).lexically_normal();
    if (p.filename().empty()) p = p.parent_path();
    return p.filename().string();
}

} // namespace emoscope
