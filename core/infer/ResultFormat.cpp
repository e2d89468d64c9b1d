// SPDX-License-Identifier: GPL-3.0-or-later
#include "infer/ResultFormat.h"

#include "util/Argmax.h"

#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

namespace emoscope::format {

namespace {

std::string jsonLine(const nlohmann::json& j)
{
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

nlohmann::json probabilityObject(const std::vector<float>& probabilities, const std::vector<std::string>& labels)
{
    nlohmann::json probs = nlohmann::json::object();
    for (std::size_t i = 0; i < labels.size() && i < probabilities.size(); ++i) probs[labels[i]] = probabilities[i];
    return probs;
}

std::string labelOf(const std::vector<float>& probabilities, const std::vector<std::string>& labels)
{
    const int top = argmax(probabilities);
    return top >= 0 && std::size_t(top) < labels.size() ? labels[std::size_t(top)] : std::string();
}

// No emotion is named for audio without speech: "label" and "confidence" are null (JSON) or empty (CSV), so a
// reader that skips "status" cannot take the network's answer to silence ("fear 0.56") for a verdict. The
// probabilities stay, as the network's raw output.
nlohmann::json labelJson(VerdictStatus status, const std::vector<float>& probabilities, const std::vector<std::string>& labels)
{
    if (status == VerdictStatus::NoSpeech) return nullptr;
    return labelOf(probabilities, labels);
}
nlohmann::json confidenceJson(VerdictStatus status, const std::vector<float>& probabilities)
{
    const int top = argmax(probabilities);
    if (status == VerdictStatus::NoSpeech || top < 0) return nullptr;
    return probabilities[std::size_t(top)];
}

} // namespace

std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string classifyJson(const std::string& file, const std::vector<std::string>& labels, const Verdict& verdict,
                         const Headline& headline)
{
    nlohmann::json segments = nlohmann::json::array();
    for (const HeadlineSegment& s : headline.segments)
        // Keys unlike the top level's ("emotion", "speech"), so flat readers of the line (jsonl-to-csv.awk) that
        // take the first "label" or "speech_seconds" still read the file's own.
        segments.push_back({{"emotion", std::size_t(s.label) < labels.size() ? labels[std::size_t(s.label)] : ""},
                            {"start", s.startSeconds}, {"end", s.endSeconds}, {"speech", s.speechSeconds}});
    const nlohmann::json head = {{"kind", toString(headline.kind)},
                                 {"text", describeHeadline(headline, verdict, labels)},
                                 {"segments", segments}};
    return jsonLine({{"file", file}, {"label", labelJson(verdict.status, verdict.probabilities, labels)},
                     {"confidence", confidenceJson(verdict.status, verdict.probabilities)},
                     {"probabilities", probabilityObject(verdict.probabilities, labels)},
                     {"status", toString(verdict.status)}, {"speech_seconds", verdict.speechSeconds},
                     {"headline", head}});
}

std::string classifyCsvHeader(const std::vector<std::string>& labels)
{
    std::string header = "file,label,confidence";
    for (const auto& l : labels) header += "," + l;
    return header + ",status,speech_seconds\n";
}

std::string classifyCsvRow(const std::string& file, const std::vector<std::string>& labels, const Verdict& verdict)
{
    std::ostringstream out;
    const int top = argmax(verdict.probabilities);
    out << csvField(file) << "," << std::fixed << std::setprecision(6);
    if (verdict.status == VerdictStatus::NoSpeech) out << ","; // no label, no confidence (see labelJson)
    else out << labelOf(verdict.probabilities, labels) << "," << (top >= 0 ? verdict.probabilities[std::size_t(top)] : 0.0f);
    for (float v : verdict.probabilities) out << "," << v;
    out << "," << toString(verdict.status) << "," << std::setprecision(2) << verdict.speechSeconds << "\n";
    return out.str();
}

std::string timelineCsvHeader(const std::vector<std::string>& labels)
{
    std::string header = "start,end,label";
    for (const auto& l : labels) header += "," + l;
    return header + ",status,speech_seconds\n";
}

std::string timelineCsvRows(const std::vector<TimelineWindow>& windows, const std::vector<std::string>& labels)
{
    std::ostringstream out;
    out << std::fixed;
    for (const auto& w : windows) {
        out << std::setprecision(3) << w.startSeconds << "," << w.endSeconds << ","
            << (w.status == VerdictStatus::NoSpeech ? std::string() : labelOf(w.probabilities, labels));
        for (float v : w.probabilities) out << "," << std::setprecision(6) << v;
        out << "," << toString(w.status) << "," << std::setprecision(2) << w.speechSeconds << "\n";
    }
    return out.str();
}

std::string timelineJson(const std::string& file, const TimelineOptions& options, const std::vector<std::string>& labels,
                         double speechSeconds, const std::vector<TimelineWindow>& windows)
{
    nlohmann::json ws = nlohmann::json::array();
    for (const auto& w : windows)
        ws.push_back({{"start", w.startSeconds}, {"end", w.endSeconds}, {"label", labelJson(w.status, w.probabilities, labels)},
                      {"probabilities", probabilityObject(w.probabilities, labels)}, {"status", toString(w.status)},
                      {"speech_seconds", w.speechSeconds}});
    return jsonLine({{"file", file}, {"window", options.windowSeconds}, {"hop", options.hopSeconds}, {"labels", labels},
                     {"speech_seconds", speechSeconds}, {"windows", ws}});
}

} // namespace emoscope::format
