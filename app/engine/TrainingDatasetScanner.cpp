// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/TrainingDatasetScanner.h"

#include "engine/Async.h"

TrainingDatasetScanner::TrainingDatasetScanner(QObject* parent) : QObject(parent) {}

void TrainingDatasetScanner::scan(const QString& folderOrCsv)
{
    const int id = ++generation_;
    ++pending_;
    Q_EMIT scanStarted(folderOrCsv);
    engine::runJob(
        this,
        [path = engine::toCore(folderOrCsv)] {
            return std::make_shared<const emoscope::Dataset>(emoscope::scanDataset(path));
        },
        [this, id, folderOrCsv](const engine::Outcome<std::shared_ptr<const emoscope::Dataset>>& r) {
            --pending_;
            if (id != generation_)
                return; // superseded by a newer scan
            if (r.ok())
                Q_EMIT scanned(folderOrCsv, r.value);
            else
                Q_EMIT failed(folderOrCsv, r.error);
        });
}
