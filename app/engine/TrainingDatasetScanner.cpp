// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/TrainingDatasetScanner.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <exception>

namespace {
struct ScanOutcome {
    std::shared_ptr<const emoscope::Dataset> dataset;
    QString error;
};
} // namespace

TrainingDatasetScanner::TrainingDatasetScanner(QObject* parent) : QObject(parent) {}

void TrainingDatasetScanner::scan(const QString& folderOrCsv)
{
    const int id = ++generation_;
    ++pending_;
    Q_EMIT scanStarted(folderOrCsv);
    auto* watcher = new QFutureWatcher<ScanOutcome>(this);
    connect(watcher, &QFutureWatcher<ScanOutcome>::finished, this, [this, watcher, id, folderOrCsv] {
        const ScanOutcome outcome = watcher->result();
        watcher->deleteLater();
        --pending_;
        if (id != generation_)
            return;
        if (outcome.dataset)
            Q_EMIT scanned(folderOrCsv, outcome.dataset);
        else
            Q_EMIT failed(folderOrCsv, outcome.error);
    });
    watcher->setFuture(QtConcurrent::run([path = folderOrCsv.toStdString()]() -> ScanOutcome {
        try {
            return {std::make_shared<const emoscope::Dataset>(emoscope::scanDataset(path)), {}};
        } catch (const std::exception& e) {
            return {nullptr, QString::fromStdString(e.what())};
        }
    }));
}
