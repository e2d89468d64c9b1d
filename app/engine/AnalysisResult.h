// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include "dsp/MelMatrix.h"
#include "infer/Classifier.h"
#include "util/Argmax.h"

#include <QString>
#include <QStringList>
#include <vector>

// Everything the Analyze tab shows for one recording, computed off the GUI thread by AnalysisEngine.
struct AnalysisResult {
    quint64 jobId = 0;
    QString source;                   // file path, or a display name for in-memory audio
    QString error;                    // non-empty when it could not be analysed: "<file>: <reason>"
    emoscope::AudioBuffer audio;      // mono, at the feature sample rate
    emoscope::MelMatrix logMelDb;     // dB relative to the clip's maximum (0 = loudest)
    std::vector<double> melCentresHz; // one per mel row, for the frequency axis
    double hopSeconds = 0;            // time between spectrogram columns
    QStringList labels;               // empty when no model is loaded
    std::vector<float> probabilities; // one per label
    emoscope::VerdictStatus status = emoscope::VerdictStatus::NoSpeech; // whether the top label may be claimed
    double speechSeconds = 0;         // voice activity found in the audio
    std::vector<emoscope::TimelineWindow> timeline; // only when longer than one timeline window
    QString note;                     // e.g. why there are no probabilities

    bool ok() const { return error.isEmpty(); }
    int top() const { return emoscope::argmax(probabilities); }
};
