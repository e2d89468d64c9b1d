// SPDX-License-Identifier: GPL-3.0-or-later
#include "infer/ResultFormat.h"

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

// The named emotion (namedEmotion: none for no_speech) and its probability; null in JSON and empty in CSV when
// there is none, so a reader that skips "status" cannot take the network's answer to silence for a verdict.
nlohmann::json labelJson(int named, const std::vector<std::string>& labels)
{
    return named >= 0 && std::size_t(named) < labels.size() ? nlohmann::json(labels[std::size_t(named)]) : nlohmann::json();
}
nlohmann::json confidenceJson(int named, const std::vector<float>& probabilities)
{
    return named >= 0 ? nlohmann::json(probabilities[std::size_t(named)]) : nlohmann::json();
}
std::string labelCsv(int named, const std::vector<std::string>& labels)
{
    return named >= 0 && std::size_t(named) < labels.size() ? labels[std::size_t(named)] : std::string();
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
    const int named = namedEmotion(verdict.status, verdict.probabilities);
    return jsonLine({{"file", file}, {"label", labelJson(named, labels)},
                     {"confidence", confidenceJson(named, verdict.probabilities)},
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
    const int named = namedEmotion(verdict.status, verdict.probabilities);
    out << csvField(file) << "," << labelCsv(named, labels) << "," << std::fixed << std::setprecision(6);
    if (named >= 0) out << verdict.probabilities[std::size_t(named)];
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
            << labelCsv(namedEmotion(w.status, w.probabilities), labels);
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
        ws.push_back({{"start", w.startSeconds}, {"end", w.endSeconds}, {"label", labelJson(namedEmotion(w.status, w.probabilities), labels)},
                      {"probabilities", probabilityObject(w.probabilities, labels)}, {"status", toString(w.status)},
                      {"speech_seconds", w.speechSeconds}});
    return jsonLine({{"file", file}, {"window", options.windowSeconds}, {"hop", options.hopSeconds}, {"labels", labels},
                     {"speech_seconds", speechSeconds}, {"windows", ws}});
}

} // namespace emoscope::format
