// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "model/ModelCard.h"
#include <string>
#include <vector>

namespace emoscope {

// What a result may honestly claim: an emotion (Ok), only a guess (Uncertain), or nothing because there is
// too little speech to judge (NoSpeech).
enum class VerdictStatus { Ok, Uncertain, NoSpeech };

// Probabilities plus what they may claim, for one clip or one timeline window.
struct Verdict {
    std::vector<float> probabilities; // one per label, sums to 1 (also for no_speech: shown only on request)
    VerdictStatus status = VerdictStatus::NoSpeech;
    double speechSeconds = 0;         // voice activity found (see audio/VoiceActivity.h)
    double speechFraction = 0;        // ... as a fraction of the clip or window
};

// "ok", "uncertain", "no_speech": the spelling of the CLI's JSON/CSV and of the docs.
const char* toString(VerdictStatus status);

// The one rule, from the model card's calibration:
//   no_speech when speechSeconds < minSpeechSeconds or speechFraction < minSpeechFraction;
//   uncertain when the top probability < uncertainThreshold; else ok.
// Empty probabilities with enough speech are Uncertain (there is no emotion to claim).
VerdictStatus verdictFor(const std::vector<float>& probabilities, double speechSeconds, double speechFraction,
                         const Calibration& calibration);

// One line for people (the CLI's text output): "angry 87%", "uncertain — angry 41% · sad 33%" (the two most
// likely labels), "no speech detected".
std::string describeVerdict(VerdictStatus status, const std::vector<float>& probabilities,
                            const std::vector<std::string>& labels);

// The emotion a result names: the most probable label, or -1 when the status is no_speech (the network's answer to
// silence is no verdict) or there are no probabilities. The CLI's JSON, CSV and text output all name it this way.
int namedEmotion(VerdictStatus status, const std::vector<float>& probabilities);

// Indices of the most probable labels, best first (at most n).
std::vector<int> topIndices(const std::vector<float>& probabilities, int n);

} // namespace emoscope
