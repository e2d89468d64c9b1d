// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "engine/BatchResult.h"

#include <QString>

// The results table as CSV: file, top emotion, confidence, one column per label, status, speech seconds, error.
namespace ResultsCsv {
QString toCsv(const BatchResult& result);
// Atomic (QSaveFile): the target is either the old file or the complete new one. Returns "" or the reason.
QString write(const QString& path, const BatchResult& result);
} // namespace ResultsCsv
