// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/MelMatrix.h"
#include "net/Saliency.h"

#include <QString>
#include <QStringList>
#include <vector>

// One explained recording, computed off the GUI thread by SaliencyJob.
struct SaliencyResult {
    quint64 id = 0;
    QString source;                   // the file (or the display name of in-memory audio)
    emoscope::MelMatrix logMelDb;     // what was explained, with the model's features (dB re the clip's maximum)
    std::vector<double> melCentresHz; // one per mel row
    emoscope::SaliencyMap map;        // same grid as logMelDb; startSeconds/hopSeconds place it in time
    QStringList labels;               // the model's labels; map.classIndex indexes them
    QString className() const { return map.classIndex >= 0 && map.classIndex < labels.size() ? labels[map.classIndex] : QString(); }
};
