// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/ResultExport.h"

#include "engine/Async.h"
#include "infer/ResultFormat.h"
#include "util/AtomicFile.h"

#include <QObject>
#include <stdexcept>

namespace {
std::vector<std::string> coreLabels(const AnalysisResult& r)
{
    std::vector<std::string> labels;
    for (const QString& l : r.labels)
        labels.push_back(l.toStdString());
    return labels;
}

QByteArray seconds(double s)
{
    return QByteArray::number(s, 'f', 3); // the timeline's precision: a millisecond
}

// The CLI's classify line for a selection: "start","end" first in the JSON object (so a flat reader meets them
// before the headline segments' own), as the last two CSV columns (so the CLI's columns keep their places).
std::string withSelection(std::string text, ResultExport::Kind kind, const ResultExport::Selection& s)
{
    const std::string start = seconds(s.start).toStdString(), end = seconds(s.end).toStdString();
    if (kind == ResultExport::Kind::ProbabilitiesJson) {
        if (text.empty() || text.front() != '{')
            throw std::logic_error("classify --json did not write an object");
        return text.insert(1, "\"start\":" + start + ",\"end\":" + end + ",");
    }
    const std::size_t headerEnd = text.find('\n');
    if (headerEnd == std::string::npos || text.back() != '\n')
        throw std::logic_error("classify --csv did not write a header and a row");
    text.insert(text.size() - 1, "," + start + "," + end);
    text.insert(headerEnd, ",start,end");
    return text;
}
} // namespace

QByteArray ResultExport::text(const AnalysisResult& r, Kind kind, const std::optional<Selection>& selection)
{
    if (!r.ok() || r.probabilities.empty())
        throw std::invalid_argument("there are no probabilities to export (no model, or the file could not be read)");
    const std::vector<std::string> labels = coreLabels(r);
    // A selection's result is named "<file> [a–b s]" on screen; the export names the file itself.
    const std::string file = engine::toCore(selection ? selection->file : r.source);
    const emoscope::Verdict verdict{r.probabilities, r.status, r.speechSeconds, 0.0};
    std::string bytes;
    switch (kind) {
    case Kind::ProbabilitiesCsv:
        bytes = emoscope::format::classifyCsvHeader(labels) + emoscope::format::classifyCsvRow(file, labels, verdict);
        break;
    case Kind::ProbabilitiesJson: bytes = emoscope::format::classifyJson(file, labels, verdict, r.headline); break;
    case Kind::TimelineCsv:
    case Kind::TimelineJson:
        if (selection)
            throw std::invalid_argument("a selection's result has no timeline to export");
        if (r.timeline.empty())
            throw std::invalid_argument("there is no timeline to export (the recording is one window long)");
        bytes = kind == Kind::TimelineCsv
            ? emoscope::format::timelineCsvHeader(labels) + emoscope::format::timelineCsvRows(r.timeline, labels)
            : emoscope::format::timelineJson(file, emoscope::TimelineOptions{}, labels, r.speechSeconds, r.timeline);
        break;
    }
    if (selection)
        bytes = withSelection(std::move(bytes), kind, *selection);
    return QByteArray::fromStdString(bytes);
}

QString ResultExport::write(const QString& path, const QByteArray& bytes)
{
    try {
        emoscope::writeBytesAtomically(engine::toCore(path), bytes.toStdString());
    } catch (...) {
        const QString reason = engine::currentExceptionText();
        return reason.contains(path) ? reason : QObject::tr("%1: cannot write (%2)").arg(path, reason);
    }
    return {};
}
