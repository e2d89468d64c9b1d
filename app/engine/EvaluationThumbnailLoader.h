// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/MelMatrix.h"

#include <QHash>
#include <QObject>
#include <QSize>
#include <QStringList>
#include <QThreadPool>
#include <atomic>
#include <memory>

// Spectrogram thumbnails for the clip browser: decode + log-mel + shrink to the thumbnail size (dB, one value
// per pixel, mels upwards) on a background pool, delivered through thumbnailReady() on the GUI thread and
// cached by file. Colouring is the view's business (gui/ColorMap). A new request() makes the
// files of older requests that have not started yet skip their work. Lives on the GUI thread.
class EvaluationThumbnailLoader : public QObject {
    Q_OBJECT
public:
    // dB re the clip's maximum (0 = loudest, -80 = floor): thumbnailSize().height() mels x width() columns.
    using Thumbnail = std::shared_ptr<const emoscope::MelMatrix>;

    explicit EvaluationThumbnailLoader(QObject* parent = nullptr);
    ~EvaluationThumbnailLoader() override; // waits for running tasks

    void setThumbnailSize(const QSize& size) { size_ = size; }
    QSize thumbnailSize() const { return size_; }

    // Cached thumbnails are delivered at once (still through the signal, queued); the others as they finish.
    void request(const QStringList& files);
    Thumbnail cached(const QString& file) const { return cache_.value(file); }

Q_SIGNALS:
    void thumbnailReady(const QString& file, EvaluationThumbnailLoader::Thumbnail db);
    void thumbnailFailed(const QString& file, const QString& message);

private:
    QThreadPool pool_;
    QSize size_{120, 48};
    QHash<QString, Thumbnail> cache_;
    std::shared_ptr<std::atomic<int>> generation_ = std::make_shared<std::atomic<int>>(0);
};
