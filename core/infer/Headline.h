// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "infer/Classifier.h"
#include "infer/Verdict.h"

#include <string>
#include <vector>

namespace emoscope {

// A stretch of speech where the timeline's top label stays the same.
struct HeadlineSegment {
    int label = -1;
    double startSeconds = 0;  // start of its first speech slice
    double endSeconds = 0;    // end of its last speech slice
    double speechSeconds = 0; // speech inside it (silence between its utterances does not count)
};

// What a whole recording may claim, from its timeline over speech only (issue 10 item 2). Both front ends apply it
// to files longer than Classifier::kLongFileSeconds (the files classified from their timeline); a shorter file keeps
// the Clip headline, i.e. its verdict as before.
//   Clip:      no timeline (a clip of at most one window): the verdict as it is (the single-clip case).
//   NoSpeech / Uncertain: as the verdict says (too little speech; a weak top probability).
//   Single:    one label holds at least kAgreeShare of the speech time: that label.
//   Mixed:     otherwise; `segments` lists who spoke when (e.g. angry 0-10 s, sad 10-20 s).
// Segments: each window owns the hop-long slice around its centre; slices without speech (window status
// no_speech) are left out; consecutive speech slices with the same top label merge, also across the silences
// between them; then a segment with less than kMinSegmentSeconds of speech is a flicker and joins its neighbours
// (shortest first), so one odd window never splits a file into pieces.
struct Headline {
    enum class Kind { Clip, NoSpeech, Uncertain, Single, Mixed };
    Kind kind = Kind::Clip;
    int label = -1;                 // Single: the agreed label; Clip/Uncertain: the verdict's top label
    double share = 0;               // Single: its share of the speech time (0..1)
    double speechSeconds = 0;       // speech time covered by the segments
    std::vector<HeadlineSegment> segments; // Single and Mixed (Single: usually one)

    static constexpr double kAgreeShare = 0.8;
    static constexpr double kMinSegmentSeconds = 2.0;
};

// "clip", "no_speech", "uncertain", "single", "mixed": the spelling of the CLI's JSON.
const char* toString(Headline::Kind kind);

// The rule above. verdict is the file's own (status and probabilities as today); windows its timeline.
Headline headlineFor(const Verdict& verdict, const std::vector<TimelineWindow>& windows);

// For people and the CLI's text: "angry 87%" (Clip, Single: as describeVerdict), "no speech detected",
// "uncertain — ...", "mixed: angry 0–10 s, sad 10–20 s".
std::string describeHeadline(const Headline& headline, const Verdict& verdict, const std::vector<std::string>& labels);
// "angry 0–9.5 s, sad 9.5–20 s" (whole seconds where the time is one, else tenths).
std::string describeSegments(const std::vector<HeadlineSegment>& segments, const std::vector<std::string>& labels);

} // namespace emoscope
