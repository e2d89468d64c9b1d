// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "engine/BatchResult.h"

#include <QString>

// The results table as CSV: file, top emotion, confidence, one column per label, status, speech seconds, error;
// then true_label and correct (1/0) when the files' labels are known. A file without speech (status no_speech)
// names no emotion: top_emotion, confidence and correct are empty, as in the CLI's CSV.
namespace ResultsCsv {
QString toCsv(const BatchResult& result);
// Atomic (emoscope::writeBytesAtomically): the target is either the old file or the complete new one.
// Returns "" or "<path>: <reason>".
QString write(const QString& path, const BatchResult& result);
} // namespace ResultsCsv
