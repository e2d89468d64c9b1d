// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/ModelCard.h"
#include "model/ModelInventory.h"
#include "util/JsonNesting.h"
#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>

namespace emoscope {

using nlohmann::json;

namespace {

// Free-form provenance/metrics text is embedded as JSON when it parses, else kept as a string.
json embed(const std::string& text)
{
    if (text.empty()) return json::object();
    json j = json::parse(text, nullptr, false);
    return j.is_discarded() ? json(text) : j;
}

std::string unembed(const json& j)
{
    if (j.is_null()) return {};
    if (j.is_string()) return j.get<std::string>();
    if (j.is_object() && j.empty()) return {};
    return j.dump();
}

// An integer field read without narrowing surprises (1e12 must not wrap into a plausible int).
int smallInt(const json& v, const char* field)
{
    if (!v.is_number_integer()) throw std::invalid_argument(std::string(field) + ": must be an integer");
    if (v.is_number_unsigned() ? v.get<unsigned long long>() > 1000000000ull
                               : (v.get<long long>() > 1000000000ll || v.get<long long>() < -1000000000ll))
        throw std::invalid_argument(std::string(field) + ": out of range");
    return int(v.get<long long>());
}

} // namespace

void ModelCard::validate() const
{
    if (formatVersion != 1) throw std::invalid_argument("unsupported format version " + std::to_string(formatVersion));
    if (labels.empty()) throw std::invalid_argument("labels: empty");
    if (labels.size() > kMaxLabels) throw std::invalid_argument("labels: more than " + std::to_string(kMaxLabels));
    std::set<std::string> seen;
    for (const auto& l : labels) {
        if (l.empty()) throw std::invalid_argument("labels: empty label");
        if (l.size() > kMaxLabelBytes)
            throw std::invalid_argument("labels: a label longer than " + std::to_string(kMaxLabelBytes) + " bytes");
        // Labels are printed to terminals and shown in the GUI: no escape sequences or line breaks.
        for (unsigned char ch : l)
            if (ch < 0x20 || ch == 0x7f) throw std::invalid_argument("labels: a label holds control characters");
        if (!seen.insert(l).second) throw std::invalid_argument("labels: duplicate label '" + l + "'");
    }
    try {
        features.validate();
    } catch (const std::exception& e) {
        throw std::invalid_argument(std::string("features: ") + e.what());
    }
    if (arch.widths.empty() || arch.widths.size() > 8) throw std::invalid_argument("arch.widths: 1 to 8 stages");
    for (int w : arch.widths)
        if (w < 1 || w > kMaxWidth) throw std::invalid_argument("arch.widths: each must be 1.." + std::to_string(kMaxWidth));
    if (arch.blocksPerStage < 1 || arch.blocksPerStage > kMaxBlocks)
        throw std::invalid_argument("arch.blocks_per_stage: 1.." + std::to_string(kMaxBlocks));
    // The shipped network has 1.2 M weights; 64 M (256 MB) is far beyond any model this program trains.
    if (inventoryElements(arch, int(labels.size())) > kMaxWeights)
        throw std::invalid_argument("arch: more than " + std::to_string(kMaxWeights) + " weights");
    if (arch.stemStride < 1 || arch.stemStride > 4) throw std::invalid_argument("arch.stem_stride: 1..4");
    if (!(arch.dropout >= 0.0 && arch.dropout < 1.0)) throw std::invalid_argument("arch.dropout: must be in [0, 1)");
    if (input.minFrames < 1 || input.minFrames > 10000) throw std::invalid_argument("input.min_frames: 1..10000");
    if (input.trainCropFrames < 1 || input.trainCropFrames > 10000)
        throw std::invalid_argument("input.train_crop_frames: 1..10000");
    if (!(input.trimMarginSeconds >= 0.0 && input.trimMarginSeconds <= 5.0))
        throw std::invalid_argument("input.trim_margin_seconds: 0..5");
    if (!std::isfinite(norm.mean)) throw std::invalid_argument("normalisation.mean: not finite");
    if (!std::isfinite(norm.std) || norm.std <= 0) throw std::invalid_argument("normalisation.std: must be > 0");
    if (!(calibration.temperature >= 0.01 && calibration.temperature <= 100))
        throw std::invalid_argument("calibration.temperature: 0.01..100");
    if (!calibration.classBias.empty() && calibration.classBias.size() != labels.size())
        throw std::invalid_argument("calibration.class_bias: one value per label");
    for (double b : calibration.classBias)
        if (!(b >= -20 && b <= 20)) throw std::invalid_argument("calibration.class_bias: -20..20");
    if (!(calibration.uncertainThreshold >= 0 && calibration.uncertainThreshold <= 1))
        throw std::invalid_argument("calibration.uncertain_threshold: 0..1");
    if (!(calibration.minSpeechSeconds >= 0 && calibration.minSpeechSeconds <= 60))
        throw std::invalid_argument("calibration.min_speech_seconds: 0..60");
    if (!(calibration.minSpeechFraction >= 0 && calibration.minSpeechFraction <= 1))
        throw std::invalid_argument("calibration.min_speech_fraction: 0..1");
}

std::string ModelCard::toJson() const
{
    json j;
    j["format"] = "emoscope-model";
    j["format_version"] = formatVersion;
    j["labels"] = labels;
    j["features"] = json::parse(features.toJson());
    j["arch"] = {{"type", "resnet"}, {"widths", arch.widths}, {"blocks_per_stage", arch.blocksPerStage},
                 {"stem_stride", arch.stemStride}, {"dropout", arch.dropout},
                 {"pooling", arch.pooling == Pooling::MeanStd ? "mean_std" : "mean"}};
    j["input"] = {{"min_frames", input.minFrames}, {"train_crop_frames", input.trainCropFrames}};
    if (input.trimToSpeech) {
        j["input"]["trim_to_speech"] = true;
        j["input"]["trim_margin_seconds"] = input.trimMarginSeconds;
    }
    j["normalisation"] = {{"mean", norm.mean}, {"std", norm.std}, {"per_utterance_band_mean", norm.perUtteranceBandMean}};
    j["calibration"] = {{"temperature", calibration.temperature},
                        {"uncertain_threshold", calibration.uncertainThreshold},
                        {"min_speech_seconds", calibration.minSpeechSeconds},
                        {"min_speech_fraction", calibration.minSpeechFraction}};
    if (!calibration.classBias.empty()) j["calibration"]["class_bias"] = calibration.classBias;
    j["created_utc"] = createdUtc;
    j["provenance"] = embed(provenanceJson);
    j["metrics"] = embed(metricsJson);
    return j.dump(2);
}

ModelCard ModelCard::fromJson(const std::string& text)
{
    checkJsonNesting(text, kMaxJsonDepth, kMaxJsonBytes); // before the parser: no deep recursion, no huge text
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw std::invalid_argument("card is not a JSON object");
    ModelCard c;
    try {
        if (j.contains("format") && j["format"] != "emoscope-model")
            throw std::invalid_argument("format is not emoscope-model");
        c.formatVersion = j.value("format_version", 0);
        if (!j.contains("labels") || !j["labels"].is_array()) throw std::invalid_argument("labels: missing");
        if (j["labels"].size() > kMaxLabels) throw std::invalid_argument("labels: more than " + std::to_string(kMaxLabels));
        c.labels = j["labels"].get<std::vector<std::string>>();
        if (!j.contains("features") || !j["features"].is_object()) throw std::invalid_argument("features: missing");
        c.features = FeatureConfig::fromJson(j["features"].dump());
        if (!j.contains("arch") || !j["arch"].is_object()) throw std::invalid_argument("arch: missing");
        const json& a = j["arch"];
        if (a.value("type", std::string("resnet")) != "resnet") throw std::invalid_argument("arch.type: unknown");
        if (!a.at("widths").is_array() || a.at("widths").size() > 8) throw std::invalid_argument("arch.widths: 1 to 8 stages");
        c.arch.widths.clear(); // not appended to the defaults
        for (const json& w : a.at("widths")) c.arch.widths.push_back(smallInt(w, "arch.widths"));
        c.arch.blocksPerStage = smallInt(a.at("blocks_per_stage"), "arch.blocks_per_stage");
        c.arch.stemStride = a.contains("stem_stride") ? smallInt(a.at("stem_stride"), "arch.stem_stride") : 2;
        c.arch.dropout = a.value("dropout", 0.0);
        if (a.contains("pooling")) {
            const json& pool = a.at("pooling");
            if (pool == "mean") c.arch.pooling = Pooling::Mean;
            else if (pool == "mean_std") c.arch.pooling = Pooling::MeanStd;
            else throw std::invalid_argument("arch.pooling: unknown (known: mean, mean_std)");
        }
        if (j.contains("input")) {
            const json& in = j["input"];
            if (in.contains("min_frames")) c.input.minFrames = smallInt(in.at("min_frames"), "input.min_frames");
            if (in.contains("train_crop_frames"))
                c.input.trainCropFrames = smallInt(in.at("train_crop_frames"), "input.train_crop_frames");
            c.input.trimToSpeech = in.value("trim_to_speech", false);
            c.input.trimMarginSeconds = in.value("trim_margin_seconds", c.input.trimMarginSeconds);
        }
        if (j.contains("normalisation")) {
            c.norm.mean = j["normalisation"].value("mean", c.norm.mean);
            c.norm.std = j["normalisation"].value("std", c.norm.std);
            c.norm.perUtteranceBandMean = j["normalisation"].value("per_utterance_band_mean", false);
        }
        if (j.contains("calibration")) {
            // Older files have none: temperature 1 and no "uncertain" threshold, as they were.
            const json& k = j["calibration"];
            c.calibration.temperature = k.value("temperature", 1.0);
            c.calibration.uncertainThreshold = k.value("uncertain_threshold", 0.0);
            c.calibration.minSpeechSeconds = k.value("min_speech_seconds", c.calibration.minSpeechSeconds);
            c.calibration.minSpeechFraction = k.value("min_speech_fraction", c.calibration.minSpeechFraction);
            if (k.contains("class_bias")) {
                const json& b = k.at("class_bias");
                if (!b.is_array() || b.size() > kMaxLabels)
                    throw std::invalid_argument("calibration.class_bias: an array of at most " +
                                                std::to_string(kMaxLabels) + " numbers");
                c.calibration.classBias = b.get<std::vector<double>>();
            }
        }
        c.createdUtc = j.value("created_utc", std::string());
        c.provenanceJson = unembed(j.value("provenance", json()));
        c.metricsJson = unembed(j.value("metrics", json()));
    } catch (const json::exception& e) {
        throw std::invalid_argument(std::string("bad card field: ") + e.what());
    }
    c.validate();
    return c;
}

namespace {
// Four significant digits: a card's fitted numbers (temperature 0.7337857810859366) are read, not computed with.
std::string fourDigits(double v)
{
    std::ostringstream s;
    s.precision(4);
    s << v;
    return s.str();
}
} // namespace

std::string ModelCard::summary() const
{
    std::ostringstream s;
    s << "Labels: ";
    for (std::size_t i = 0; i < labels.size(); ++i) s << (i ? ", " : "") << labels[i];
    s << "\nNetwork: ResNet, widths ";
    for (std::size_t i = 0; i < arch.widths.size(); ++i) s << (i ? "/" : "") << arch.widths[i];
    s << ", " << arch.blocksPerStage << " block(s) per stage, dropout " << arch.dropout
      << (arch.pooling == Pooling::MeanStd ? ", mean and deviation over time" : ", average pooling");
    s << "\nFeatures: log-mel " << features.nMels << " mels, " << features.sampleRate << " Hz, n_fft "
      << features.nFft << ", hop " << features.hopLength << ", top_db " << features.topDb;
    s << "\nInput: ";
    if (input.trimToSpeech) s << "the clip's speech span (" << std::lround(input.trimMarginSeconds * 1000) << " ms margin)";
    else s << "whole clip";
    s << " (at least " << input.minFrames << " frames); training crops " << input.trainCropFrames << " frames";
    // After per-band mean removal the features' mean is zero up to float rounding (1e-9): then only the scale shows.
    const bool zeroMean = std::abs(norm.mean) < 1e-6 * std::max(1.0, std::abs(double(norm.std)));
    s << "\nNormalisation: " << (zeroMean ? "x" : "(x - " + fourDigits(norm.mean) + ")") << " / " << fourDigits(norm.std)
      << (norm.perUtteranceBandMean ? " after per-band mean removal" : "");
    s << "\nCalibration: temperature " << fourDigits(calibration.temperature);
    if (!calibration.classBias.empty()) {
        s << ", class bias";
        for (std::size_t i = 0; i < calibration.classBias.size(); ++i)
            s << (i ? ", " : " ") << labels[i] << " " << fourDigits(calibration.classBias[i]);
    }
    s << ", uncertain below "
      << fourDigits(calibration.uncertainThreshold) << ", no speech below " << fourDigits(calibration.minSpeechSeconds) << " s";
    if (!createdUtc.empty()) s << "\nCreated: " << createdUtc;
    const json prov = embed(provenanceJson);
    if (prov.is_object()) {
        if (prov.contains("data")) s << "\nData: " << prov["data"].dump();
        if (prov.contains("split")) s << "\nSplit: " << (prov["split"].is_string() ? prov["split"].get<std::string>() : prov["split"].dump());
        if (prov.contains("epochs")) s << "\nEpochs: " << prov["epochs"].dump();
        if (prov.contains("seed")) s << "\nSeed: " << prov["seed"].dump();
        if (prov.contains("command")) s << "\nCommand: " << (prov["command"].is_string() ? prov["command"].get<std::string>() : prov["command"].dump());
    }
    const json met = embed(metricsJson);
    if (met.is_object()) {
        for (const char* part : {"validation", "test"}) {
            if (!met.contains(part) || !met[part].is_object()) continue;
            const json& m = met[part];
            s << "\n" << (std::string(part) == "test" ? "Test" : "Validation") << ":";
            if (m.contains("accuracy") && m["accuracy"].is_number())
                s << " accuracy " << std::round(m["accuracy"].get<double>() * 10000) / 100 << "%";
            if (m.contains("uar") && m["uar"].is_number())
                s << ", UAR " << std::round(m["uar"].get<double>() * 10000) / 100 << "%";
            if (m.contains("total")) s << " (" << m["total"].dump() << " clips)";
        }
    }
    return s.str();
}

} // namespace emoscope
