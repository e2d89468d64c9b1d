// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "train/Dataset.h"

#include <QObject>
#include <QString>
#include <memory>

// Scans a dataset folder (emoscope::scanDataset, which probes every file) on a worker thread.
// A new scan supersedes a running one: only the latest request is reported. Lives on the GUI thread.
class TrainingDatasetScanner : public QObject {
    Q_OBJECT
public:
    explicit TrainingDatasetScanner(QObject* parent = nullptr);

    void scan(const QString& folderOrCsv);
    bool isScanning() const { return pending_ > 0; }

Q_SIGNALS:
    void scanStarted(const QString& folder);
    void scanned(const QString& folder, std::shared_ptr<const emoscope::Dataset> dataset);
    void failed(const QString& folder, const QString& message);

private:
    int generation_ = 0; // id of the latest request; older results are dropped
    int pending_ = 0;
};
