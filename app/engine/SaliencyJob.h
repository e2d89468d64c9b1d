// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "dsp/MelMatrix.h"
#include "engine/Async.h"
#include "engine/SaliencyResult.h"

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <functional>
#include <memory>

namespace emoscope {
class Classifier;
}

// Computes saliency maps (core's explainLogMel, Grad-CAM by default) on its own one-thread, low-priority pool, so an
// explanation never competes with analysis for both cores. Only the newest request counts: a new one cancels the
// previous (its late result is dropped). Lives on the GUI thread; the destructor waits for its job.
class SaliencyJob : public QObject {
    Q_OBJECT
public:
    // Files longer than this are explained over their first kMaxFileSeconds only (explainFile).
    static constexpr double kMaxFileSeconds = 60.0;

    explicit SaliencyJob(QObject* parent = nullptr);
    ~SaliencyJob() override;

    // A log-mel already computed with the model's features (the Analyze tab's); explained in bounded segments.
    // classIndex -1 = the predicted class. Returns the request's id.
    quint64 explainLogMel(std::shared_ptr<const emoscope::Classifier> model, emoscope::MelMatrix logMelDb,
                          const QString& source, int classIndex = -1);
    // Decodes the file (its first kMaxFileSeconds), computes the model's log-mel, then explains it.
    quint64 explainFile(std::shared_ptr<const emoscope::Classifier> model, const QString& file, int classIndex = -1);
    // Drops the running request (no signal follows for it).
    void cancel();
    bool isRunning() const { return running_; }

    emoscope::SaliencyOptions options; // method and segment length for later requests

Q_SIGNALS:
    void finished(std::shared_ptr<const SaliencyResult> result);
    void failed(quint64 id, const QString& source, const QString& message);

private:
    using Work = std::function<emoscope::MelMatrix(const engine::CancelFlag&)>;
    quint64 start(std::shared_ptr<const emoscope::Classifier> model, const QString& source, int classIndex,
                  Work logMelOf);

    QThreadPool pool_;
    quint64 lastId_ = 0;
    engine::CancelFlag cancel_;
    bool running_ = false;
};
