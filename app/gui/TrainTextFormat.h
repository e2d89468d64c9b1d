// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QCoreApplication>
#include <QString>

// Counted nouns for the Train tab's views. tr()'s %n needs an installed translation to pick a plural
// form; without one it would show "clip(s)", so the two English forms are spelled out here.
namespace traintext {

inline QString clips(int n)
{
    return n == 1 ? QCoreApplication::translate("TrainText", "1 clip")
                  : QCoreApplication::translate("TrainText", "%1 clips").arg(n);
}

inline QString files(int n)
{
    return n == 1 ? QCoreApplication::translate("TrainText", "1 file")
                  : QCoreApplication::translate("TrainText", "%1 files").arg(n);
}

} // namespace traintext
