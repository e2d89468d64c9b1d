// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "engine/AnalysisResult.h"

#include <QByteArray>
#include <QString>

// The Analyze tab's exports of one result, in emoscope-cli's formats (core's emoscope::format, which the CLI
// prints too): probabilities as `classify --csv` / `classify --json`, the timeline as `timeline --csv` /
// `timeline --json` (default window and hop). Plain functions: the tab runs them on a worker.
namespace ResultExport {
enum class Kind { ProbabilitiesCsv, ProbabilitiesJson, TimelineCsv, TimelineJson };

// The file's bytes. Throws std::invalid_argument when the result has nothing of that kind ("no timeline: ...").
QByteArray text(const AnalysisResult& result, Kind kind);
// Atomic (emoscope::writeBytesAtomically). Returns "" or "<path>: <reason>".
QString write(const QString& path, const QByteArray& bytes);
} // namespace ResultExport
