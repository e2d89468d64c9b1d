// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QColor>
#include <QString>
#include <QStringList>

// One stable colour per emotion so every chart agrees, and the one spelling of label names on screen.
namespace EmotionColors {
QColor color(const QString& label, int index);
// What users read for a model label ("ps" -> "pleasant surprise"): emoscope::labelDisplayName.
QString displayName(const QString& label);
QStringList displayNames(const QStringList& labels);
}
