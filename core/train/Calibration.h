// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "model/Softmax.h"
#include <string>
#include <vector>

namespace emoscope {

// Mean negative log-likelihood of the true labels under softmax(logits / temperature + classBias).
// weights: one per clip (empty = all 1); the mean is weighted. classBias: empty (none) or one per label.
double negativeLogLikelihood(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth,
                             double temperature, const std::vector<double>& weights = {},
                             const std::vector<double>& classBias = {});
// Expected calibration error: |accuracy - mean confidence| of the top label in equal-width confidence bins,
// weighted by the bins' shares of the clips (0 = perfectly calibrated).
double expectedCalibrationError(const std::vector<std::vector<float>>& probabilities, const std::vector<int>& truth,
                                int bins = 15, const std::vector<double>& weights = {});

// Temperature scaling (Guo et al. 2017) fitted on held-out clips, and the "uncertain" threshold chosen on the same
// clips: the lowest calibrated confidence at which the verdicts kept (confidence >= threshold) are right at least
// targetAccuracy of the time, searched in [0.30, 0.80] (0.80 when no value reaches the target).
// weights (one per clip, empty = all 1) weigh every sum: the trainer gives each corpus the same total weight, so
// the temperature is not the one of whichever corpus has the most validation clips. A clip of weight w counts
// exactly as w copies of it.
// With fitClassBias, the temperature and a bias per label are fitted together (in turn, a few rounds):
// softmax(logits / T + bias) minimising the NLL where every label present has the same total weight (weights within
// each label kept). It corrects the network's prior on voices it never heard (on held-out speakers it says
// "neutral" about twice as often as the truth); labels absent from the clips keep 0. The threshold, the coverage,
// the NLL and the ECE after are then those of the biased probabilities.
struct CalibrationFit {
    double temperature = 1.0;
    std::vector<double> classBias; // empty unless fitted
    double uncertainThreshold = 0.0;
    int clips = 0;
    double nllBefore = 0, nllAfter = 0;
    double eceBefore = 0, eceAfter = 0;
    double coverage = 0;         // share of the clips at or above the threshold
    double acceptedAccuracy = 0; // accuracy on those clips
    double targetAccuracy = 0;
    std::string toJson() const;
};
// With worstGroupOf (one group name per clip, e.g. its corpus; fitClassBias must then be false), the temperature is
// worstGroupEceTemperature's instead of the NLL's; the threshold and the figures after are computed as above.
CalibrationFit fitCalibration(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth,
                              double targetAccuracy = 0.7, const std::vector<double>& weights = {},
                              bool fitClassBias = false, const std::vector<std::string>& worstGroupOf = {});

// The temperature whose probabilities have the smallest largest ECE over the groups (one group name per clip, e.g.
// its corpus), each group's ECE over its own clips: the objective of "ECE low on *every* corpus", where the NLL fit
// minimises an average. ECE is a step function of T, so this is a grid search: T from 0.2 to 10 in steps of 2% (the
// lowest T wins a tie). When corpora differ in accuracy at the same confidence, it trades the better calibrated ones
// for the worst one (models/README.md, "Calibration methods compared").
double worstGroupEceTemperature(const std::vector<std::vector<float>>& logits, const std::vector<int>& truth,
                                const std::vector<std::string>& groupOfClip, int bins = 15);

// Weights that give every group (e.g. corpus) the same total weight, scaled to a mean of 1 per clip.
std::vector<double> equalGroupWeights(const std::vector<std::string>& groupOfClip);

} // namespace emoscope
