// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QColor>
#include <QString>

// One stable colour per emotion so every chart agrees.
namespace EmotionColors {
QColor color(const QString& label, int index);
}
