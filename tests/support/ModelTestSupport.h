// SPDX-License-Identifier: GPL-3.0-or-later
// Small real-data fixtures for the model tests: a balanced TESS subset and a tiny trained network, so the
// model/training/inference tests exercise real audio while staying fast (seconds, not minutes).
#pragma once
#include "TestData.h"
#include "train/Dataset.h"
#include "train/Trainer.h"
#include <QFile>
#include <QTextStream>
#include <map>
#include <string>

namespace testdata {

// perLabel clips of every label from TESS's train part (fixed split), alternating the two speakers.
inline emoscope::Dataset tessSubset(int perLabel, const std::string& part = "train")
{
    emoscope::ScanOptions scan;
    scan.probeFiles = false; // the files are known-good; probing 2,800 headers only costs time
    const emoscope::Dataset all = emoscope::scanDataset(tessDir().toStdString(), scan);
    emoscope::Dataset out = all;
    out.clips.clear();
    std::map<std::string, std::map<std::string, int>> taken; // label -> speaker -> count
    for (const auto& c : all.clips) {
        if (c.fixedSplit != part) continue;
        int& n = taken[c.label][c.speaker];
        if (n >= (perLabel + 1) / 2) continue;
        int total = 0;
        for (const auto& [s, k] : taken[c.label]) total += k;
        if (total >= perLabel) continue;
        ++n;
        out.clips.push_back(c);
    }
    return out;
}

// Options for a tiny network: two stages of 8 and 16 channels.
inline emoscope::TrainOptions tinyOptions(int epochs = 1, unsigned long long seed = 1)
{
    emoscope::TrainOptions o;
    o.epochs = epochs;
    o.seed = seed;
    o.batchSize = 16;
    o.arch.widths = {8, 16};
    o.arch.blocksPerStage = 1;
    o.validationFraction = 0.2;
    o.threads = 2;
    return o;
}

// All clips of the dataset in the train part, none in test.
inline emoscope::Split allTrain(const emoscope::Dataset& ds)
{
    emoscope::Split s;
    for (int i = 0; i < int(ds.clips.size()); ++i) s.train.push_back(i);
    return s;
}

// Writes a path,label,speaker manifest of the dataset's clips (absolute paths) for the CLI tests.
inline bool writeManifest(const emoscope::Dataset& ds, const QString& csvPath)
{
    QFile f(csvPath);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    QTextStream s(&f);
    s << "path,label,speaker\n";
    for (const auto& c : ds.clips)
        s << QString::fromStdString(c.path) << "," << QString::fromStdString(c.label) << ","
          << QString::fromStdString(c.speaker) << "\n";
    return true;
}

} // namespace testdata
