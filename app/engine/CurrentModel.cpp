// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/CurrentModel.h"

#include "infer/Classifier.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <exception>

CurrentModel::CurrentModel(QObject* parent) : QObject(parent) {}

QString CurrentModel::path() const
{
    return classifier_ ? QString::fromStdString(classifier_->path()) : QString();
}

namespace {
struct LoadResult {
    std::shared_ptr<const emoscope::Classifier> classifier;
    QString error;
};

LoadResult loadModel(const QString& path)
{
    try {
        return {emoscope::Classifier::load(path.toStdString()), {}};
    } catch (const std::exception& e) {
        return {nullptr, QString::fromStdString(e.what())};
    }
}
} // namespace

void CurrentModel::loadAsync(const QString& path)
{
    Q_EMIT loading(path);
    auto* watcher = new QFutureWatcher<LoadResult>(this);
    connect(watcher, &QFutureWatcher<LoadResult>::finished, this, [this, watcher] {
        const LoadResult r = watcher->result();
        watcher->deleteLater();
        if (r.classifier)
            set(r.classifier);
        else
            Q_EMIT failed(r.error);
    });
    watcher->setFuture(QtConcurrent::run(loadModel, path));
}

bool CurrentModel::loadNow(const QString& path)
{
    const LoadResult r = loadModel(path);
    if (!r.classifier) {
        Q_EMIT failed(r.error);
        return false;
    }
    set(r.classifier);
    return true;
}

void CurrentModel::set(std::shared_ptr<const emoscope::Classifier> classifier)
{
    classifier_ = std::move(classifier);
    Q_EMIT changed();
}
