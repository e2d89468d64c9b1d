// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QHash>
#include <QImage>
#include <QObject>
#include <QSize>
#include <QStringList>
#include <QThreadPool>
#include <atomic>
#include <memory>

// Spectrogram thumbnails for the clip browser: decode + log-mel + colour map on a background pool,
// delivered through thumbnailReady() on the GUI thread and cached by file. A new request() makes the
// files of older requests that have not started yet skip their work. Lives on the GUI thread.
class EvaluationThumbnailLoader : public QObject {
    Q_OBJECT
public:
    explicit EvaluationThumbnailLoader(QObject* parent = nullptr);
    ~EvaluationThumbnailLoader() override; // waits for running tasks

    void setThumbnailSize(const QSize& size) { size_ = size; }
    QSize thumbnailSize() const { return size_; }

    // Cached thumbnails are delivered at once (still through the signal, queued); the others as they finish.
    void request(const QStringList& files);
    QImage cached(const QString& file) const { return cache_.value(file); }

Q_SIGNALS:
    void thumbnailReady(const QString& file, const QImage& image);
    void thumbnailFailed(const QString& file, const QString& message);

private:
    QThreadPool pool_;
    QSize size_{120, 48};
    QHash<QString, QImage> cache_;
    std::shared_ptr<std::atomic<int>> generation_ = std::make_shared<std::atomic<int>>(0);
};
