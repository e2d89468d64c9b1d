// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "infer/Classifier.h"

#include <QStringList>
#include <vector>

// Probabilities for several files at once (the Analyze tab's results table).
struct BatchResult {
    quint64 jobId = 0;
    QStringList labels;
    std::vector<emoscope::FileClassification> rows; // in the order the files were given
};
