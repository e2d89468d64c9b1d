// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/ResultsCsv.h"

#include "engine/ResultExport.h"
#include "infer/Verdict.h"

namespace {
QString quoted(QString field)
{
    if (field.contains(QLatin1Char(',')) || field.contains(QLatin1Char('"')) || field.contains(QLatin1Char('\n')))
        return QLatin1Char('"') + field.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return field;
}
} // namespace

QString ResultsCsv::toCsv(const BatchResult& result)
{
    QStringList header{QStringLiteral("file"), QStringLiteral("top_emotion"), QStringLiteral("confidence")};
    header += result.labels;
    header << QStringLiteral("status") << QStringLiteral("speech_seconds") << QStringLiteral("error");
    if (result.hasTrueLabels()) // as the table shows them; "correct" is empty where either side is unknown
        header << QStringLiteral("true_label") << QStringLiteral("correct");
    QString csv = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (std::size_t r = 0; r < result.rows.size(); ++r) {
        const emoscope::FileClassification& row = result.rows[r];
        QStringList fields{quoted(QString::fromStdString(row.file))};
        const int top = row.top();
        // As the CLI's CSV: a file without speech names no emotion (empty top_emotion, confidence and correct);
        // its probabilities stay, as the network's raw output.
        const int named = result.namedIndex(r);
        fields << result.namedLabel(r);
        fields << (named >= 0 ? QString::number(row.probabilities[std::size_t(named)], 'f', 6) : QString());
        for (int i = 0; i < result.labels.size(); ++i)
            fields << (i < int(row.probabilities.size()) ? QString::number(row.probabilities[i], 'f', 6) : QString());
        fields << (top >= 0 ? QString::fromLatin1(emoscope::toString(row.status)) : QString());
        fields << (top >= 0 && row.speechSeconds >= 0 ? QString::number(row.speechSeconds, 'f', 2) : QString());
        fields << quoted(QString::fromStdString(row.error));
        if (result.hasTrueLabels()) {
            fields << QString::fromStdString(result.trueLabel(r));
            const auto correct = result.namedIsTrue(r);
            fields << (correct ? (*correct ? QStringLiteral("1") : QStringLiteral("0")) : QString());
        }
        csv += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return csv;
}

QString ResultsCsv::write(const QString& path, const BatchResult& result)
{
    return ResultExport::write(path, toCsv(result).toUtf8());
}
