// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "infer/Classifier.h"
#include "infer/Headline.h"
#include "infer/Verdict.h"

#include <string>
#include <vector>

namespace emoscope {

// The one spelling of results as text, shared by emoscope-cli (classify, timeline) and the Analyze tab's export, so
// the two cannot drift. Every function returns complete lines ending in '\n'.
namespace format {

// classify --json: {"file","label","confidence","probabilities":{label:p},"status","speech_seconds","headline":{...}}
// headline: {"kind","text","segments":[{"emotion","start","end","speech"}]} (see Headline).
std::string classifyJson(const std::string& file, const std::vector<std::string>& labels, const Verdict& verdict,
                         const Headline& headline);
// classify --csv: file,label,confidence,<one column per label>,status,speech_seconds
std::string classifyCsvHeader(const std::vector<std::string>& labels);
std::string classifyCsvRow(const std::string& file, const std::vector<std::string>& labels, const Verdict& verdict);

// timeline --csv: start,end,label,<one column per label>,status,speech_seconds
std::string timelineCsvHeader(const std::vector<std::string>& labels);
std::string timelineCsvRows(const std::vector<TimelineWindow>& windows, const std::vector<std::string>& labels);
// timeline --json: {"file","window","hop","labels","speech_seconds","windows":[{"start","end","label",
// "probabilities","status","speech_seconds"}]}
std::string timelineJson(const std::string& file, const TimelineOptions& options, const std::vector<std::string>& labels,
                         double speechSeconds, const std::vector<TimelineWindow>& windows);

// A CSV field, quoted when it holds a comma, quote or line break.
std::string csvField(const std::string& text);

} // namespace format
} // namespace emoscope
