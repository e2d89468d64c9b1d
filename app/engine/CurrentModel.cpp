// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/CurrentModel.h"

#include "infer/Classifier.h"

#include "engine/Async.h"

CurrentModel::CurrentModel(QObject* parent) : QObject(parent) {}

QString CurrentModel::path() const
{
    return classifier_ ? engine::fromCore(classifier_->path()) : QString();
}

namespace {
std::shared_ptr<const emoscope::Classifier> loadModel(const QString& path)
{
    return emoscope::Classifier::load(engine::toCore(path));
}
} // namespace

void CurrentModel::loadAsync(const QString& path)
{
    Q_EMIT loading(path);
    engine::runJob(this, [path] { return loadModel(path); },
                   [this](const engine::Outcome<std::shared_ptr<const emoscope::Classifier>>& r) {
                       if (r.ok())
                           set(r.value);
                       else
                           Q_EMIT failed(r.error);
                   });
}

bool CurrentModel::loadNow(const QString& path)
{
    try {
        set(loadModel(path));
        return true;
    } catch (...) {
        Q_EMIT failed(engine::currentExceptionText());
        return false;
    }
}

void CurrentModel::set(std::shared_ptr<const emoscope::Classifier> classifier)
{
    classifier_ = std::move(classifier);
    Q_EMIT changed();
}
