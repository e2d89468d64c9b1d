// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/EmotionColors.h"

#include "util/LabelDisplay.h"

#include <array>

QColor EmotionColors::color(const QString& label, int index)
{
    const QString l = label.toLower();
    if (l.startsWith(QLatin1String("ang")))
        return QColor(214, 39, 40);
    if (l.startsWith(QLatin1String("disg")))
        return QColor(140, 86, 75);
    if (l.startsWith(QLatin1String("fear")))
        return QColor(148, 103, 189);
    if (l.startsWith(QLatin1String("hap")))
        return QColor(255, 170, 14);
    if (l.startsWith(QLatin1String("neu")))
        return QColor(127, 127, 127);
    if (l.startsWith(QLatin1String("sad")))
        return QColor(31, 119, 180);
    if (l.startsWith(QLatin1String("surp")) || l.startsWith(QLatin1String("ps")))
        return QColor(44, 160, 44);
    static const std::array<QColor, 6> others{QColor(23, 190, 207), QColor(188, 189, 34), QColor(227, 119, 194),
                                              QColor(255, 127, 80), QColor(100, 149, 237), QColor(46, 139, 87)};
    return others[std::size_t(index) % others.size()];
}

QString EmotionColors::displayName(const QString& label)
{
    return QString::fromStdString(emoscope::labelDisplayName(label.toStdString()));
}

QStringList EmotionColors::displayNames(const QStringList& labels)
{
    QStringList out;
    for (const QString& l : labels)
        out << displayName(l);
    return out;
}
