// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/EvaluationThumbnailLoader.h"

#include "audio/AudioDecoder.h"
#include "dsp/FeatureConfig.h"
#include "dsp/LogMelExtractor.h"
#include "engine/Async.h"

#include <algorithm>

namespace {
// Box average of a dB matrix down (or nearest up) to rows x cols.
emoscope::MelMatrix shrink(const emoscope::MelMatrix& db, int rows, int cols)
{
    emoscope::MelMatrix out(rows, cols);
    if (db.frames <= 0 || db.nMels <= 0)
        return out;
    for (int r = 0; r < rows; ++r) {
        const int m0 = int(std::int64_t(r) * db.nMels / rows);
        const int m1 = std::max(m0 + 1, int(std::int64_t(r + 1) * db.nMels / rows));
        for (int c = 0; c < cols; ++c) {
            const int f0 = int(std::int64_t(c) * db.frames / cols);
            const int f1 = std::max(f0 + 1, int(std::int64_t(c + 1) * db.frames / cols));
            double sum = 0;
            for (int m = m0; m < m1; ++m)
                for (int f = f0; f < f1; ++f)
                    sum += db.at(m, f);
            out.at(r, c) = float(sum / double((m1 - m0) * (f1 - f0)));
        }
    }
    return out;
}

// Default librosa features: thumbnails show what the clip sounds like, independent of any model.
EvaluationThumbnailLoader::Thumbnail computeThumbnail(const QString& file, const QSize& size)
{
    static const emoscope::LogMelExtractor extractor{emoscope::FeatureConfig{}};
    emoscope::DecodeOptions decode;
    decode.targetSampleRate = extractor.config().sampleRate;
    decode.maxSeconds = 60.0; // a browser thumbnail of an hour-long file is not worth the wait
    const emoscope::AudioBuffer audio = emoscope::loadAudio(engine::toCore(file), decode);
    const emoscope::MelMatrix db = extractor.logMel(audio.samples.data(), audio.samples.size());
    return std::make_shared<const emoscope::MelMatrix>(shrink(db, std::max(1, size.height()), std::max(1, size.width())));
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
            const Thumbnail image = cache_.value(file);
            QMetaObject::invokeMethod(this, [this, file, image] { Q_EMIT thumbnailReady(file, image); },
                                      Qt::QueuedConnection);
            continue;
        }
        // The task owns what it uses; the destructor waits for the pool all the same.
        engine::runJob(
            this,
            [file, id, generation = generation_, size = size_]() -> Thumbnail {
                if (generation->load() != id)
                    return nullptr; // superseded before it started
                return computeThumbnail(file, size);
            },
            [this, file](const engine::Outcome<Thumbnail>& r) {
                if (!r.ok()) {
                    Q_EMIT thumbnailFailed(file, r.error);
                    return;
                }
                if (!r.value)
                    return;
                cache_.insert(file, r.value);
                Q_EMIT thumbnailReady(file, r.value);
            },
            &pool_);
    }
}
