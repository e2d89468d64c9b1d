// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <map>
#include <string>
#include <vector>

namespace emoscope {

// The seven labels, in model order.
const std::vector<std::string>& emotionLabels(); // angry disgust fear happy neutral ps sad
// Maps common spellings to a canonical label ("pleasant_surprise", "pleasant_surprised", "surprised",
// "surprise", "ps" -> "ps"; "anger" -> "angry"; "fearful" -> "fear"; "happiness" -> "happy"; case-insensitive).
// Returns "" when the word is not an emotion.
std::string canonicalLabel(const std::string& word);

enum class DatasetLayout { Tess, FolderPerLabel, CsvManifest };
const char* toString(DatasetLayout layout);

struct Clip {
    std::string path;       // absolute
    std::string label;      // canonical
    int labelIndex = -1;    // index in Dataset::labels
    std::string speaker;    // "" when unknown
    std::string fixedSplit; // "train" / "test" from split.csv, "" otherwise
    std::string source;     // dataset root it came from
};

struct SkippedFile {
    std::string path;
    std::string reason;
};

struct Dataset {
    std::vector<std::string> roots;
    DatasetLayout layout = DatasetLayout::FolderPerLabel; // of the first root
    std::vector<std::string> labels = emotionLabels();
    std::vector<Clip> clips;
    std::vector<SkippedFile> skipped;

    bool hasFixedSplit() const;                        // any clip has a train/test mark from split.csv
    std::map<std::string, int> countsPerLabel() const;   // every label of `labels`, 0 when it has no clip
    std::map<std::string, int> countsPerSpeaker() const; // known speakers only (clips with speaker "" are left out)
    std::vector<std::string> speakers() const;           // sorted, known speakers only
};

// A corpus's name in reports: the folder name of its dataset root (Clip::source), e.g. "/data/tess/" -> "tess".
std::string corpusNameOf(const std::string& root);

// Audio file extensions the scanner picks up: wav flac ogg mp3 aif aiff (compared case-insensitively).
const std::vector<std::string>& audioExtensions();
bool hasAudioExtension(const std::string& path);

struct ScanOptions {
    bool probeFiles = true; // open every file's header, skipping unreadable ones with a reason
};

// Scans a folder (layout detected: TESS SPEAKER_word_emotion names; folder per label; a manifest.csv or
// any .csv with path,label[,speaker]) or a CSV file directly. A split.csv next to the data fills fixedSplit.
// Bad, unlabelled or unreadable files go to skipped with a reason; only a missing/unreadable root throws
// std::runtime_error naming it. A folder's manifest.csv wins over names (only the files it lists are used; paths
// are relative to the CSV's folder or absolute); without one, TESS names vs folder-per-label is decided by which
// rule labels more files. Files are probed on 2 threads. Clips and skipped files are sorted by path.
Dataset scanDataset(const std::string& folderOrCsv, const ScanOptions& options = {});
// Concatenates datasets (same label set; else std::invalid_argument); roots and skipped lists are merged. A clip
// path already taken from an earlier part is skipped ("duplicate: ..."), so a folder given twice counts once.
Dataset combineDatasets(const std::vector<Dataset>& parts);

enum class SplitMode { Fixed, Random, Speaker };

struct SplitSpec {
    SplitMode mode = SplitMode::Random;
    double testFraction = 0.15;             // Random
    unsigned long long seed = 42;           // Random
    std::vector<std::string> testSpeakers;  // Speaker: these speakers form the test part
};

struct Split {
    std::vector<int> train; // indices into Dataset::clips
    std::vector<int> test;
};

// Fixed uses split.csv (clips without one go to train); Random is stratified by label and seeded;
// Speaker puts every clip of testSpeakers in test. Throws std::invalid_argument if the result is unusable
// (e.g. an unknown speaker, or an empty train part).
Split makeSplit(const Dataset& dataset, const SplitSpec& spec);

// Parses "random", "fixed", "speaker:OAF" or "speaker:Actor_10,Actor_11" (the --split syntax, which the GUI's
// form maps to as well); "random:0.2" also sets testFraction. Anything else throws std::invalid_argument.
SplitSpec parseSplitSpec(const std::string& text);
// The inverse of parseSplitSpec: "fixed", "random:0.15", "speaker:OAF,YAF".
std::string toString(const SplitSpec& spec);

// The one meaning of a requested split, for every front end: "random" on data that has a split.csv means
// that fixed split (the dataset's authors chose it, and results stay comparable); clips of a combined dataset
// that have no split.csv then all go to train. Every other request is used as given.
SplitSpec resolveSplitSpec(const Dataset& dataset, SplitSpec spec);
// The words a model card records for a split: toString(used), the seed for a random split, and the request
// when resolution changed it, e.g. "random:0.2 (seed 42)", "random:0.15 -> fixed (split.csv)", "speaker:OAF".
std::string describeSplit(const SplitSpec& requested, const SplitSpec& used);

struct ResolvedSplit {
    SplitSpec requested;
    SplitSpec used;          // resolveSplitSpec(dataset, requested)
    Split split;             // makeSplit(dataset, used)
    std::string description; // describeSplit(requested, used)
};
// Resolves, splits and describes: the entry point for the CLI and the GUI alike. Throws like makeSplit.
ResolvedSplit resolveSplit(const Dataset& dataset, const SplitSpec& requested);

const char* toString(SplitMode mode); // "fixed", "random", "speaker"

} // namespace emoscope
