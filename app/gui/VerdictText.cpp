// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/VerdictText.h"
#include "gui/EmotionColors.h"

#include <QCoreApplication>

namespace {
QString tr(const char* text)
{
    return QCoreApplication::translate("VerdictText", text);
}

QString percent(const QStringList& labels, const std::vector<float>& p, int i, const QString& separator)
{
    return QStringLiteral("%1%2%3%").arg(i < labels.size() ? EmotionColors::displayName(labels[i]) : QString::number(i), separator)
        .arg(double(p[std::size_t(i)]) * 100.0, 0, 'f', 0);
}
} // namespace

QString VerdictText::noSpeech()
{
    return tr("No speech detected");
}

QString VerdictText::headline(emoscope::VerdictStatus status, const QStringList& labels,
                              const std::vector<float>& probabilities)
{
    if (status == emoscope::VerdictStatus::NoSpeech)
        return noSpeech();
    const std::vector<int> top = emoscope::topIndices(probabilities, 2);
    if (top.empty())
        return QStringLiteral("—");
    if (status == emoscope::VerdictStatus::Ok)
        return percent(labels, probabilities, top[0], QStringLiteral("  "));
    QString text = tr("Uncertain — %1").arg(percent(labels, probabilities, top[0], QStringLiteral(" ")));
    if (top.size() > 1)
        text += QStringLiteral(" · ") + percent(labels, probabilities, top[1], QStringLiteral(" "));
    return text;
}
