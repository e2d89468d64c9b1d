// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "infer/Verdict.h"

#include <QString>
#include <QStringList>
#include <vector>

// The headline the Analyze and Record views show for a verdict: "angry  87%",
// "Uncertain — angry 41% · sad 33%" or "No speech detected". One place, so both tabs say the same.
namespace VerdictText {
QString headline(emoscope::VerdictStatus status, const QStringList& labels, const std::vector<float>& probabilities);
QString noSpeech();
} // namespace VerdictText
