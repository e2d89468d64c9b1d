// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/EvaluationExport.h"
#include "engine/Async.h"

#include "util/AtomicFile.h"
#include "util/LabelDisplay.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <exception>

namespace {
QString quoted(QString field)
{
    if (field.contains(QLatin1Char(',')) || field.contains(QLatin1Char('"')) || field.contains(QLatin1Char('\n')))
        return QLatin1Char('"') + field.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return field;
}
QString rate(double v) { return QString::number(v, 'f', 6); }
double at(const std::vector<double>& v, std::size_t i) { return i < v.size() ? v[i] : 0.0; }
int support(const emoscope::EvaluationReport& report, std::size_t i)
{
    int n = 0;
    if (i < report.confusion.size())
        for (int v : report.confusion[i])
            n += v;
    return n;
}
QString label(const emoscope::EvaluationReport& report, std::size_t i) { return QString::fromStdString(report.labels[i]); }
QString name(const emoscope::EvaluationReport& report, std::size_t i)
{
    return QString::fromStdString(emoscope::labelDisplayName(report.labels[i]));
}
QJsonArray names(const emoscope::EvaluationReport& report)
{
    QJsonArray out;
    for (std::size_t i = 0; i < report.labels.size(); ++i)
        out.append(name(report, i));
    return out;
}
} // namespace

QByteArray EvaluationExport::metricsCsv(const emoscope::EvaluationReport& report)
{
    QString csv = QStringLiteral("label,name,precision,recall,f1,n,accuracy,uar,macro_f1\n");
    for (std::size_t i = 0; i < report.labels.size(); ++i)
        csv += QStringList{quoted(label(report, i)), quoted(name(report, i)), rate(at(report.precision, i)),
                           rate(at(report.recall, i)), rate(at(report.f1, i)), QString::number(support(report, i)),
                           QString(), QString(), QString()}
                   .join(QLatin1Char(',')) + QLatin1Char('\n');
    csv += QStringList{QStringLiteral("all"), QStringLiteral("all"), QString(), QString(), QString(),
                       QString::number(report.total()), rate(report.accuracy), rate(report.uar), rate(report.macroF1)}
               .join(QLatin1Char(',')) + QLatin1Char('\n');
    return csv.toUtf8();
}

QByteArray EvaluationExport::metricsJson(const emoscope::EvaluationReport& report)
{
    QJsonObject json = QJsonDocument::fromJson(QByteArray::fromStdString(report.toJson())).object();
    QJsonObject perLabel;
    for (std::size_t i = 0; i < report.labels.size(); ++i)
        perLabel.insert(label(report, i), support(report, i));
    json.insert(QStringLiteral("support"), perLabel);
    json.insert(QStringLiteral("names"), names(report));
    return QJsonDocument(json).toJson(QJsonDocument::Indented);
}

QByteArray EvaluationExport::confusionCsv(const emoscope::EvaluationReport& report)
{
    QStringList header{QStringLiteral("true\\predicted")};
    for (std::size_t i = 0; i < report.labels.size(); ++i)
        header << quoted(label(report, i));
    QString csv = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (std::size_t r = 0; r < report.labels.size(); ++r) {
        QStringList row{quoted(label(report, r))};
        for (std::size_t c = 0; c < report.labels.size(); ++c)
            row << QString::number(r < report.confusion.size() && c < report.confusion[r].size() ? report.confusion[r][c] : 0);
        csv += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return csv.toUtf8();
}

QByteArray EvaluationExport::confusionJson(const emoscope::EvaluationReport& report)
{
    QJsonArray labels, matrix;
    for (std::size_t i = 0; i < report.labels.size(); ++i)
        labels.append(label(report, i));
    for (std::size_t r = 0; r < report.labels.size(); ++r) {
        QJsonArray row;
        for (std::size_t c = 0; c < report.labels.size(); ++c)
            row.append(r < report.confusion.size() && c < report.confusion[r].size() ? report.confusion[r][c] : 0);
        matrix.append(row);
    }
    QJsonObject json{{QStringLiteral("labels"), labels},
                     {QStringLiteral("names"), names(report)},
                     {QStringLiteral("rows"), QStringLiteral("true")},
                     {QStringLiteral("columns"), QStringLiteral("predicted")},
                     {QStringLiteral("confusion"), matrix}};
    return QJsonDocument(json).toJson(QJsonDocument::Indented);
}

QString EvaluationExport::write(const QString& path, const QByteArray& bytes)
{
    try {
        emoscope::writeBytesAtomically(engine::toCore(path), bytes.toStdString());
    } catch (...) {
        // core's message names the file; make sure it does whatever the failure was.
        const QString reason = engine::currentExceptionText();
        return reason.contains(path) ? reason : QObject::tr("%1: %2").arg(path, reason);
    }
    return {};
}
