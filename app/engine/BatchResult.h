// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "infer/Classifier.h"
#include "train/Metrics.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <string>
#include <vector>

// Probabilities for several files at once (the Analyze tab's results table).
struct BatchResult {
    quint64 jobId = 0;
    QStringList labels;
    std::vector<emoscope::FileClassification> rows; // in the order the files were given
    // The true label of each row, read as the dataset scanner reads a folder (emoscope::batchTrueLabels): "" when
    // the folder or a manifest gives none.
    std::vector<std::string> trueLabels;
    int filesRequested = 0;  // rows.size() is smaller when the batch was cancelled
    bool cancelled = false;  // stopped by the user: rows hold the files finished until then
    // Accuracy, UAR and the confusion matrix over the rows that have a true label and name an emotion
    // (computeMetrics; a no_speech row names none and is not scored); empty when no row has a known label.
    std::optional<emoscope::EvaluationReport> metrics;
    int unscoredNoSpeech = 0; // rows with a true label left out of metrics because they name no emotion

    bool hasTrueLabels() const { return metrics.has_value(); }
    // "" when unknown.
    const std::string& trueLabel(std::size_t row) const
    {
        static const std::string none;
        return row < trueLabels.size() ? trueLabels[row] : none;
    }
    // The emotion a row names (emoscope::namedEmotion): its index in labels, or -1 for an error or a file without
    // speech. The table, the CSV and the scoring all read it here, so they cannot disagree.
    int namedIndex(std::size_t row) const
    {
        if (row >= rows.size()) return -1;
        const int named = emoscope::namedEmotion(rows[row].status, rows[row].probabilities);
        return named < labels.size() ? named : -1;
    }
    QString namedLabel(std::size_t row) const
    {
        const int named = namedIndex(row);
        return named >= 0 ? labels[named] : QString();
    }
    // Whether the named emotion is the true label; nullopt when the row names none or its true label is unknown.
    std::optional<bool> namedIsTrue(std::size_t row) const
    {
        const QString named = namedLabel(row);
        if (named.isEmpty() || trueLabel(row).empty()) return std::nullopt;
        return named == QString::fromStdString(trueLabel(row));
    }
};
