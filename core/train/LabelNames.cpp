// SPDX-License-Identifier: GPL-3.0-or-later
// Label vocabulary: the seven model labels and the spellings datasets use for them.
#include "train/Dataset.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace emoscope {

const std::vector<std::string>& emotionLabels()
{
    // Leaked on purpose, as every table here: worker threads may read them while static destructors run at exit.
    static const auto* labels = new std::vector<std::string>{"angry", "disgust", "fear", "happy", "neutral", "ps", "sad"};
    return *labels;
}

std::string canonicalLabel(const std::string& word)
{
    // "calm" (RAVDESS) is deliberately absent: it is not neutral and has no TESS counterpart.
    static const auto& spellings = *new std::unordered_map<std::string, std::string>{
        {"angry", "angry"},      {"anger", "angry"},          {"ang", "angry"},
        {"disgust", "disgust"},  {"disgusted", "disgust"},    {"dis", "disgust"},
        {"fear", "fear"},        {"fearful", "fear"},         {"afraid", "fear"},     {"fea", "fear"},
        {"happy", "happy"},      {"happiness", "happy"},      {"joy", "happy"},       {"hap", "happy"},
        {"neutral", "neutral"},  {"neu", "neutral"},
        {"ps", "ps"},            {"pleasant_surprise", "ps"}, {"pleasant_surprised", "ps"},
        {"pleasant-surprise", "ps"}, {"pleasant-surprised", "ps"}, {"surprise", "ps"},
        {"surprised", "ps"},     {"sur", "ps"},
        {"sad", "sad"},          {"sadness", "sad"},
    };
    std::string key = word;
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    const auto it = spellings.find(key);
    return it == spellings.end() ? std::string() : it->second;
}

const char* toString(DatasetLayout layout)
{
    switch (layout) {
    case DatasetLayout::Tess: return "tess";
    case DatasetLayout::FolderPerLabel: return "folder-per-label";
    case DatasetLayout::CsvManifest: return "csv-manifest";
    }
    return "unknown";
}

const std::vector<std::string>& audioExtensions()
{
    static const auto* extensions = new std::vector<std::string>{"wav", "flac", "ogg", "mp3", "aif", "aiff"};
    return *extensions;
}

bool hasAudioExtension(const std::string& path)
{
    const auto slash = path.find_last_of("/\\");
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
        return false;
    std::string ext = path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    const auto& all = audioExtensions();
    return std::find(all.begin(), all.end(), ext) != all.end();
}

} // namespace emoscope
