// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QObject>
#include <QString>
#include <memory>

namespace emoscope {
class Classifier;
}

// The model every tab classifies with. Loading validates the file on a worker thread; on failure the
// previous model stays and failed() carries a one-line reason naming the file. Lives on the GUI thread.
class CurrentModel : public QObject {
    Q_OBJECT
public:
    explicit CurrentModel(QObject* parent = nullptr);
    std::shared_ptr<const emoscope::Classifier> classifier() const { return classifier_; }
    QString path() const;
    bool isLoaded() const { return classifier_ != nullptr; }

    // Asynchronous: emits changed() or failed(). Returns immediately.
    void loadAsync(const QString& path);
    // Synchronous variant for start-up and tests. Returns false and emits failed() on error.
    bool loadNow(const QString& path);
    // Installs an already loaded model (e.g. one just trained).
    void set(std::shared_ptr<const emoscope::Classifier> classifier);

Q_SIGNALS:
    void changed();
    void failed(const QString& message);
    void loading(const QString& path);

private:
    std::shared_ptr<const emoscope::Classifier> classifier_;
};
