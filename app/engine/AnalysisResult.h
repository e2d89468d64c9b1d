// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "audio/AudioBuffer.h"
#include "dsp/MelMatrix.h"
#include "infer/Classifier.h"
#include "infer/Headline.h"
#include "util/Argmax.h"

#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

// Everything the Analyze tab shows for one recording, computed off the GUI thread by AnalysisEngine.
struct AnalysisResult {
    quint64 jobId = 0;
    QString source;                   // file path, or a display name for in-memory audio
    QString error;                    // non-empty when it could not be analysed: "<file>: <reason>"
    emoscope::AudioBuffer audio;      // mono, at the feature sample rate
    int nativeSampleRate = 0;         // the file's (or recording's) own rate, before resampling; 0 = unknown
    emoscope::MelMatrix logMelDb;     // dB relative to the clip's maximum (0 = loudest; digital silence: the floor)
    std::vector<double> melCentresHz; // one per mel row, for the frequency axis
    double hopSeconds = 0;            // time between spectrogram columns
    QStringList labels;               // empty when no model is loaded
    std::vector<float> probabilities; // one per label
    emoscope::VerdictStatus status = emoscope::VerdictStatus::NoSpeech; // whether the top label may be claimed
    double speechSeconds = 0;         // voice activity found in the audio
    std::vector<emoscope::TimelineWindow> timeline; // only when longer than one timeline window
    QString note;                     // e.g. why there are no probabilities
    // What the whole recording may claim (issue 10): Mixed with segments when its speech changes emotion; Clip
    // when it has no timeline (then status and probabilities say it all).
    emoscope::Headline headline;

    // Long files (over AnalysisEngine::kStreamSeconds) stream: audio stays empty, the views get an overview instead
    // (waveform min/max per peakSeconds, logMelDb decimated to hopSeconds per column), and partial results arrive
    // (AnalysisEngine::partial) before the final one.
    bool streamed = false;
    bool partial = false;                            // more is coming (a progress snapshot)
    double progress = 1.0;                           // 0..1 of the file done; < 0 when the length is unknown
    double streamedSeconds = 0;                      // decoded so far (the whole file once final)
    std::vector<std::pair<float, float>> peaks;      // waveform overview: min/max per bin
    double peakSeconds = 0;
    double durationSeconds() const { return streamed ? streamedSeconds : audio.durationSeconds(); }

    bool ok() const { return error.isEmpty(); }
    int top() const { return emoscope::argmax(probabilities); }
};
