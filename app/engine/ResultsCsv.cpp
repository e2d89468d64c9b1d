// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/ResultsCsv.h"

#include <QSaveFile>

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
    QString csv = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const emoscope::FileClassification& row : result.rows) {
        QStringList fields{quoted(QString::fromStdString(row.file))};
        const int top = row.top();
        fields << (top >= 0 && top < result.labels.size() ? result.labels[top] : QString());
        fields << (top >= 0 ? QString::number(row.probabilities[top], 'f', 6) : QString());
        for (int i = 0; i < result.labels.size(); ++i)
            fields << (i < int(row.probabilities.size()) ? QString::number(row.probabilities[i], 'f', 6) : QString());
        fields << (top >= 0 ? QString::fromLatin1(emoscope::toString(row.status)) : QString());
        fields << (top >= 0 && row.speechSeconds >= 0 ? QString::number(row.speechSeconds, 'f', 2) : QString());
        fields << quoted(QString::fromStdString(row.error));
        csv += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return csv;
}

QString ResultsCsv::write(const QString& path, const BatchResult& result)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return QObject::tr("%1: cannot write (%2)").arg(path, file.errorString());
    file.write(toCsv(result).toUtf8());
    if (!file.commit())
        return QObject::tr("%1: cannot write (%2)").arg(path, file.errorString());
    return {};
}
