// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/EvaluationThumbnailLoader.h"

#include "audio/AudioDecoder.h"
#include "dsp/FeatureConfig.h"
#include "dsp/LogMelExtractor.h"
#include "gui/ColorMap.h"

#include <exception>

namespace {
// Default librosa features: thumbnails show what the clip sounds like, independent of any model.
QImage renderThumbnail(const QString& file, const QSize& size)
{
    static const emoscope::LogMelExtractor extractor{emoscope::FeatureConfig{}};
    emoscope::DecodeOptions decode;
    decode.targetSampleRate = extractor.config().sampleRate;
    decode.maxSeconds = 60.0; // a browser thumbnail of an hour-long file is not worth the wait
    const emoscope::AudioBuffer audio = emoscope::loadAudio(file.toStdString(), decode);
    const emoscope::MelMatrix db = extractor.logMel(audio.samples.data(), audio.samples.size());
    const QImage full = ColorMap(ColorMap::Name::Magma).render(db);
    return full.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
}
} // namespace

EvaluationThumbnailLoader::EvaluationThumbnailLoader(QObject* parent) : QObject(parent)
{
    // One thread: thumbnails must not compete with a training run for the two cores.
    pool_.setMaxThreadCount(1);
}

EvaluationThumbnailLoader::~EvaluationThumbnailLoader()
{
    ++*generation_;
    pool_.waitForDone();
}

void EvaluationThumbnailLoader::request(const QStringList& files)
{
    const int id = ++*generation_;
    for (const QString& file : files) {
        if (cache_.contains(file)) {
            const QImage image = cache_.value(file);
            QMetaObject::invokeMethod(this, [this, file, image] { Q_EMIT thumbnailReady(file, image); },
                                      Qt::QueuedConnection);
            continue;
        }
        // `this` outlives every task: the destructor waits for the pool.
        pool_.start([this, file, id, generation = generation_, size = size_] {
            if (generation->load() != id)
                return; // superseded before it started
            QImage image;
            QString error;
            try {
                image = renderThumbnail(file, size);
            } catch (const std::exception& e) {
                error = QString::fromStdString(e.what());
            }
            QMetaObject::invokeMethod(this, [this, file, image, error] {
                if (!error.isEmpty()) {
                    Q_EMIT thumbnailFailed(file, error);
                    return;
                }
                cache_.insert(file, image);
                Q_EMIT thumbnailReady(file, image);
            }, Qt::QueuedConnection);
        });
    }
}
