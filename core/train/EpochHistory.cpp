// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/EpochHistory.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace emoscope {

std::string epochHistoryToJson(const std::vector<EpochReport>& history)
{
    nlohmann::json a = nlohmann::json::array();
    for (const auto& e : history)
        a.push_back({{"epoch", e.epoch}, {"train_loss", e.trainLoss}, {"train_accuracy", e.trainAccuracy},
                     {"validation_loss", e.validationLoss}, {"validation_accuracy", e.validationAccuracy},
                     {"validation_uar", e.validationUar}, {"seconds", e.seconds}, {"best", e.best}});
    return a.dump();
}

std::vector<EpochReport> epochHistoryFromJson(const std::string& text)
{
    std::vector<EpochReport> history;
    try {
        for (const auto& j : nlohmann::json::parse(text)) {
            EpochReport e;
            e.epoch = j.at("epoch").get<int>();
            e.trainLoss = j.at("train_loss").get<double>();
            e.trainAccuracy = j.at("train_accuracy").get<double>();
            e.validationLoss = j.at("validation_loss").get<double>();
            e.validationAccuracy = j.at("validation_accuracy").get<double>();
            e.validationUar = j.at("validation_uar").get<double>();
            e.seconds = j.at("seconds").get<double>();
            e.best = j.at("best").get<bool>();
            history.push_back(e);
        }
    } catch (const nlohmann::json::exception& e) {
        throw std::invalid_argument(std::string("epoch history: ") + e.what());
    }
    return history;
}

} // namespace emoscope
