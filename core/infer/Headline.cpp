// SPDX-License-Identifier: GPL-3.0-or-later
#include "infer/Headline.h"

#include "util/Argmax.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace emoscope {

namespace {

// Consecutive segments with the same label become one (after a flicker between them was absorbed).
void mergeSameLabel(std::vector<HeadlineSegment>& segments)
{
    std::vector<HeadlineSegment> merged;
    for (const HeadlineSegment& s : segments) {
        if (!merged.empty() && merged.back().label == s.label) {
            merged.back().endSeconds = s.endSeconds;
            merged.back().speechSeconds += s.speechSeconds;
        } else {
            merged.push_back(s);
        }
    }
    segments = std::move(merged);
}

std::vector<HeadlineSegment> speechSegments(const std::vector<TimelineWindow>& windows)
{
    std::vector<HeadlineSegment> segments;
    const double hop = windows.size() > 1 ? windows[1].startSeconds - windows[0].startSeconds
                                          : windows[0].endSeconds - windows[0].startSeconds;
    for (std::size_t i = 0; i < windows.size(); ++i) {
        const TimelineWindow& w = windows[i];
        const double length = w.endSeconds - w.startSeconds;
        if (w.status == VerdictStatus::NoSpeech || w.speechSeconds <= 0 || length <= 0 || w.probabilities.empty())
            continue;
        // Each window speaks for the hop around its centre; the first and last reach the file's ends.
        const double centre = 0.5 * (w.startSeconds + w.endSeconds);
        const double start = i == 0 ? w.startSeconds : std::max(w.startSeconds, centre - hop / 2);
        const double end = i + 1 == windows.size() ? w.endSeconds : std::min(w.endSeconds, centre + hop / 2);
        if (end <= start)
            continue;
        const double speech = std::min(end - start, w.speechSeconds * (end - start) / length);
        segments.push_back({argmax(w.probabilities), start, end, speech});
    }
    mergeSameLabel(segments);
    // Flickers (too little speech to be a stretch of their own) go to their neighbours, shortest first.
    while (segments.size() > 1) {
        const auto shortest = std::min_element(segments.begin(), segments.end(), [](const auto& a, const auto& b) {
            return a.speechSeconds < b.speechSeconds;
        });
        if (shortest->speechSeconds >= Headline::kMinSegmentSeconds)
            break;
        const std::size_t k = std::size_t(shortest - segments.begin());
        const HeadlineSegment gone = *shortest;
        if (k == 0) {
            segments[1].startSeconds = gone.startSeconds;
            segments[1].speechSeconds += gone.speechSeconds;
        } else if (k + 1 == segments.size()) {
            segments[k - 1].endSeconds = gone.endSeconds;
            segments[k - 1].speechSeconds += gone.speechSeconds;
        } else { // split between both neighbours at its middle
            const double middle = 0.5 * (gone.startSeconds + gone.endSeconds);
            segments[k - 1].endSeconds = middle;
            segments[k - 1].speechSeconds += gone.speechSeconds / 2;
            segments[k + 1].startSeconds = middle;
            segments[k + 1].speechSeconds += gone.speechSeconds / 2;
        }
        segments.erase(segments.begin() + std::ptrdiff_t(k));
        mergeSameLabel(segments);
    }
    return segments;
}

// Whole seconds where the time is one ("10"), else tenths ("9.5"): slices fall on multiples of half the hop.
std::string seconds(double s)
{
    char text[32];
    std::snprintf(text, sizeof text, std::abs(s - std::round(s)) < 0.05 ? "%.0f" : "%.1f", s);
    return text;
}

} // namespace

const char* toString(Headline::Kind kind)
{
    switch (kind) {
    case Headline::Kind::Clip: return "clip";
    case Headline::Kind::NoSpeech: return "no_speech";
    case Headline::Kind::Uncertain: return "uncertain";
    case Headline::Kind::Single: return "single";
    case Headline::Kind::Mixed: return "mixed";
    }
    return "unknown";
}

Headline headlineFor(const Verdict& verdict, const std::vector<TimelineWindow>& windows)
{
    Headline h;
    h.label = verdict.probabilities.empty() ? -1 : argmax(verdict.probabilities);
    if (windows.size() <= 1) {
        h.kind = Headline::Kind::Clip; // one clip: the verdict says it all
        return h;
    }
    if (verdict.status == VerdictStatus::NoSpeech) {
        h.kind = Headline::Kind::NoSpeech;
        return h;
    }
    h.segments = speechSegments(windows);
    std::vector<double> perLabel(windows.front().probabilities.size(), 0.0);
    for (const HeadlineSegment& s : h.segments) {
        perLabel[std::size_t(s.label)] += s.speechSeconds;
        h.speechSeconds += s.speechSeconds;
    }
    if (h.segments.empty() || h.speechSeconds <= 0) {
        h.kind = verdict.status == VerdictStatus::Ok ? Headline::Kind::Clip : Headline::Kind::Uncertain;
        return h;
    }
    const int top = int(std::max_element(perLabel.begin(), perLabel.end()) - perLabel.begin());
    const double share = perLabel[std::size_t(top)] / h.speechSeconds;
    if (share < Headline::kAgreeShare && h.segments.size() > 1) {
        h.kind = Headline::Kind::Mixed; // the mean of several emotions names none of them
        h.label = -1;
        return h;
    }
    if (verdict.status == VerdictStatus::Uncertain) {
        h.kind = Headline::Kind::Uncertain; // the speech agrees, but the model is not sure of it
        return h;
    }
    h.kind = Headline::Kind::Single;
    h.label = top;
    h.share = share;
    return h;
}

std::string describeSegments(const std::vector<HeadlineSegment>& segments, const std::vector<std::string>& labels)
{
    std::string text;
    for (const HeadlineSegment& s : segments) {
        if (!text.empty()) text += ", ";
        text += (std::size_t(s.label) < labels.size() ? labels[std::size_t(s.label)] : std::to_string(s.label)) + " "
            + seconds(s.startSeconds) + "\u2013" + seconds(s.endSeconds) + " s";
    }
    return text;
}

std::string describeHeadline(const Headline& headline, const Verdict& verdict, const std::vector<std::string>& labels)
{
    switch (headline.kind) {
    case Headline::Kind::Mixed: return "mixed: " + describeSegments(headline.segments, labels);
    case Headline::Kind::Single:
        if (headline.label != argmax(verdict.probabilities)) { // the mean leans elsewhere: say what the speech says
            const std::string name = std::size_t(headline.label) < labels.size() ? labels[std::size_t(headline.label)] : "";
            return name + " (" + std::to_string(int(std::lround(headline.share * 100))) + "% of speech)";
        }
        break;
    default: break;
    }
    return describeVerdict(verdict.status, verdict.probabilities, labels);
}

} // namespace emoscope
