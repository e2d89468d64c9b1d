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
} // namespace

QByteArray ResultExport::text(const AnalysisResult& r, Kind kind)
{
    if (!r.ok() || r.probabilities.empty())
        throw std::invalid_argument("there are no probabilities to export (no model, or the file could not be read)");
    const std::vector<std::string> labels = coreLabels(r);
    const std::string file = engine::toCore(r.source);
    const emoscope::Verdict verdict{r.probabilities, r.status, r.speechSeconds, 0.0};
    std::string bytes;
    switch (kind) {
    case Kind::ProbabilitiesCsv:
        bytes = emoscope::format::classifyCsvHeader(labels) + emoscope::format::classifyCsvRow(file, labels, verdict);
        break;
    case Kind::ProbabilitiesJson: bytes = emoscope::format::classifyJson(file, labels, verdict, r.headline); break;
    case Kind::TimelineCsv:
    case Kind::TimelineJson:
        if (r.timeline.empty())
            throw std::invalid_argument("there is no timeline to export (the recording is one window long)");
        bytes = kind == Kind::TimelineCsv
            ? emoscope::format::timelineCsvHeader(labels) + emoscope::format::timelineCsvRows(r.timeline, labels)
            : emoscope::format::timelineJson(file, emoscope::TimelineOptions{}, labels, r.speechSeconds, r.timeline);
        break;
    }
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
