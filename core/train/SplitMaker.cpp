// SPDX-License-Identifier: GPL-3.0-or-later
// Train/test splits: fixed (split.csv), stratified random, and speaker-independent.
#include "train/Dataset.h"
#include "util/TextUtil.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iomanip>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

namespace emoscope {

namespace {


std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out.empty() ? std::string("(none)") : out;
}

// Fisher-Yates with our own index draw: std::shuffle's use of the engine is implementation-defined, and
// the same seed must give the same split on every standard library.
void shuffle(std::vector<int>& v, std::mt19937_64& rng)
{
    for (std::size_t i = v.size(); i > 1; --i) {
        const std::size_t j = std::size_t(rng() % i);
        std::swap(v[i - 1], v[j]);
    }
}

Split fixedSplit(const Dataset& dataset)
{
    Split split;
    for (int i = 0; i < int(dataset.clips.size()); ++i)
        (dataset.clips[std::size_t(i)].fixedSplit == "test" ? split.test : split.train).push_back(i);
    if (split.test.empty())
        throw std::invalid_argument("fixed split: no clip is marked 'test' (is there a split.csv next to the data?)");
    return split;
}

Split randomSplit(const Dataset& dataset, const SplitSpec& spec)
{
    if (!(spec.testFraction > 0.0 && spec.testFraction < 1.0))
        throw std::invalid_argument("random split: test fraction must be between 0 and 1 (got "
                                    + std::to_string(spec.testFraction) + ")");
    // Stratified: each label contributes the same fraction, so rare classes are not left out of test.
    std::vector<std::vector<int>> byLabel(dataset.labels.size() + 1); // last bucket: clips without a label index
    for (int i = 0; i < int(dataset.clips.size()); ++i) {
        const int li = dataset.clips[std::size_t(i)].labelIndex;
        byLabel[li >= 0 && li < int(dataset.labels.size()) ? std::size_t(li) : dataset.labels.size()].push_back(i);
    }
    std::mt19937_64 rng(spec.seed);
    Split split;
    for (auto& group : byLabel) {
        if (group.empty())
            continue;
        shuffle(group, rng);
        const int n = int(group.size());
        int nTest = int(std::lround(n * spec.testFraction));
        if (n >= 2)
            nTest = std::clamp(nTest, 1, n - 1); // every label on both sides when it can be
        else
            nTest = 0;
        split.test.insert(split.test.end(), group.begin(), group.begin() + nTest);
        split.train.insert(split.train.end(), group.begin() + nTest, group.end());
    }
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.test.begin(), split.test.end());
    return split;
}

Split speakerSplit(const Dataset& dataset, const SplitSpec& spec)
{
    const std::vector<std::string> available = dataset.speakers();
    if (spec.testSpeakers.empty())
        throw std::invalid_argument("speaker split: no test speakers given; available speakers: " + joined(available));
    std::set<std::string> test;
    for (const auto& wanted : spec.testSpeakers) {
        // Exact name first; otherwise a unique case-insensitive match ("oaf" -> "OAF").
        auto it = std::find(available.begin(), available.end(), wanted);
        if (it == available.end())
            it = std::find_if(available.begin(), available.end(),
                              [&](const std::string& s) { return toLowerAscii(s) == toLowerAscii(wanted); });
        if (it == available.end())
            throw std::invalid_argument("speaker split: unknown speaker '" + wanted
                                        + "'; available speakers: " + joined(available));
        test.insert(*it);
    }
    Split split;
    for (int i = 0; i < int(dataset.clips.size()); ++i)
        (test.count(dataset.clips[std::size_t(i)].speaker) ? split.test : split.train).push_back(i);
    return split;
}

} // namespace

const char* toString(SplitMode mode)
{
    switch (mode) {
    case SplitMode::Fixed: return "fixed";
    case SplitMode::Random: return "random";
    case SplitMode::Speaker: return "speaker";
    }
    return "unknown";
}

Split makeSplit(const Dataset& dataset, const SplitSpec& spec)
{
    Split split;
    switch (spec.mode) {
    case SplitMode::Fixed: split = fixedSplit(dataset); break;
    case SplitMode::Random: split = randomSplit(dataset, spec); break;
    case SplitMode::Speaker: split = speakerSplit(dataset, spec); break;
    }
    if (split.train.empty())
        throw std::invalid_argument(std::string(toString(spec.mode)) + " split: the training part is empty ("
                                    + std::to_string(dataset.clips.size()) + " clips in the dataset)");
    return split;
}

SplitSpec parseSplitSpec(const std::string& text)
{
    const std::string t = trimSpace(text);
    const auto colon = t.find(':');
    const std::string mode = toLowerAscii(trimSpace(t.substr(0, colon)));
    const std::string arg = colon == std::string::npos ? std::string() : trimSpace(t.substr(colon + 1));
    SplitSpec spec;
    if (mode == "fixed" && colon == std::string::npos) {
        spec.mode = SplitMode::Fixed;
        return spec;
    }
    if (mode == "random") {
        spec.mode = SplitMode::Random;
        if (colon == std::string::npos)
            return spec;
        try {
            std::size_t used = 0;
            const double fraction = std::stod(arg, &used);
            if (used == arg.size() && fraction > 0.0 && fraction < 1.0) {
                spec.testFraction = fraction;
                return spec;
            }
        } catch (const std::exception&) {
        }
        throw std::invalid_argument("bad split '" + text + "': random:FRACTION needs a number between 0 and 1");
    }
    if (mode == "speaker" && colon != std::string::npos) {
        spec.mode = SplitMode::Speaker;
        std::size_t start = 0;
        for (;;) {
            const auto comma = arg.find(',', start);
            const std::string name = trimSpace(arg.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            if (!name.empty())
                spec.testSpeakers.push_back(name);
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
        if (!spec.testSpeakers.empty())
            return spec;
        throw std::invalid_argument("bad split '" + text + "': speaker: needs at least one speaker name");
    }
    throw std::invalid_argument("bad split '" + text
                                + "': expected random, fixed, or speaker:NAME[,NAME...] (e.g. speaker:OAF)");
}

std::string toString(const SplitSpec& spec)
{
    std::string text = toString(spec.mode);
    if (spec.mode == SplitMode::Random) {
        std::ostringstream fraction;
        fraction << std::setprecision(3) << spec.testFraction;
        text += ':';
        text += fraction.str();
    } else if (spec.mode == SplitMode::Speaker) {
        for (std::size_t i = 0; i < spec.testSpeakers.size(); ++i) {
            text += i == 0 ? ':' : ',';
            text += spec.testSpeakers[i];
        }
    }
    return text;
}

SplitSpec resolveSplitSpec(const Dataset& dataset, SplitSpec spec)
{
    if (spec.mode == SplitMode::Random && dataset.hasFixedSplit())
        spec.mode = SplitMode::Fixed;
    return spec;
}

std::string describeSplit(const SplitSpec& requested, const SplitSpec& used)
{
    std::string text = toString(used);
    if (used.mode == SplitMode::Random)
        text += " (seed " + std::to_string(used.seed) + ")";
    if (used.mode == SplitMode::Fixed)
        text += " (split.csv)";
    if (requested.mode != used.mode)
        text = toString(requested) + " -> " + text;
    return text;
}

ResolvedSplit resolveSplit(const Dataset& dataset, const SplitSpec& requested)
{
    ResolvedSplit r;
    r.requested = requested;
    r.used = resolveSplitSpec(dataset, requested);
    r.split = makeSplit(dataset, r.used);
    r.description = describeSplit(r.requested, r.used);
    return r;
}

} // namespace emoscope
