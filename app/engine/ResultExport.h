// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "engine/AnalysisResult.h"

#include <QByteArray>
#include <QString>
#include <optional>

// The Analyze tab's exports of one result, in emoscope-cli's formats (core's emoscope::format, which the CLI
// prints too): probabilities as `classify --csv` / `classify --json`, the timeline as `timeline --csv` /
// `timeline --json` (default window and hop). Plain functions: the tab runs them on a worker.
namespace ResultExport {
enum class Kind { ProbabilitiesCsv, ProbabilitiesJson, TimelineCsv, TimelineJson };

// A result for part of a file (Analyze's Classify selection): the file it was cut from and where, in seconds.
struct Selection {
    QString file;
    double start = 0;
    double end = 0;
};

// The file's bytes. Throws std::invalid_argument when the result has nothing of that kind ("no timeline: ...").
// With a selection, `result` is the selection's and the probabilities say so: "file" is the whole file, and the
// CLI's fields are joined by "start","end" (JSON keys, placed first; CSV columns, appended last); the rest is what
// the CLI writes for the cut-out audio (headline segment times count from the selection's start).
QByteArray text(const AnalysisResult& result, Kind kind, const std::optional<Selection>& selection = std::nullopt);
// Atomic (emoscope::writeBytesAtomically). Returns "" or "<path>: <reason>".
QString write(const QString& path, const QByteArray& bytes);
} // namespace ResultExport
