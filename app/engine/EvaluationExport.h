// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "train/Metrics.h"

#include <QByteArray>
#include <QString>

// The Train tab's results as files. Label columns keep the model's short labels (as the CLI writes them) and add
// the spelled-out name; rates are fractions (0..1), as in the CLI's JSON.
namespace EvaluationExport {

// label,name,precision,recall,f1,n,accuracy,uar,macro_f1: one row per label (n = its clips), then a row "all"
// with n = every scored clip and the overall accuracy, UAR and macro F1.
QByteArray metricsCsv(const emoscope::EvaluationReport& report);
// The CLI's `evaluate --json` report plus "names" and "support" (clips per label).
QByteArray metricsJson(const emoscope::EvaluationReport& report);
// true\predicted,<label>...: one row per true label, counts.
QByteArray confusionCsv(const emoscope::EvaluationReport& report);
// {"labels","names","rows":"true","columns":"predicted","confusion":[[...]]}
QByteArray confusionJson(const emoscope::EvaluationReport& report);

// Writes atomically (core's writeBytesAtomically). Returns "" or "<path>: <reason>". Blocks: call off the GUI thread.
QString write(const QString& path, const QByteArray& bytes);

} // namespace EvaluationExport
