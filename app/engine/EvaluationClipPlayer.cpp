// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/EvaluationClipPlayer.h"

#include "audio/AudioDecoder.h"

#include <QAudioDevice>
#include <QAudioSink>
#include <QBuffer>
#include <QFutureWatcher>
#include <QMediaDevices>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cstring>
#include <exception>

namespace {
struct DecodedClip {
    QByteArray pcm;
    QString error;
};

// Mono float samples at the format's rate -> interleaved frames in the format's sample type.
QByteArray toPcm(const std::vector<float>& samples, const QAudioFormat& format)
{
    const int channels = std::max(1, format.channelCount());
    const int bytes = format.bytesPerSample();
    QByteArray out(qsizetype(samples.size()) * channels * bytes, Qt::Uninitialized);
    char* p = out.data();
    for (float s : samples) {
        const float v = std::clamp(s, -1.0f, 1.0f);
        for (int c = 0; c < channels; ++c) {
            switch (format.sampleFormat()) {
            case QAudioFormat::Float: std::memcpy(p, &v, 4); break;
            case QAudioFormat::Int32: { const qint32 i = qint32(v * 2147483647.0); std::memcpy(p, &i, 4); break; }
            case QAudioFormat::UInt8: *reinterpret_cast<quint8*>(p) = quint8(128 + int(v * 127.0f)); break;
            default: { const qint16 i = qint16(v * 32767.0f); std::memcpy(p, &i, 2); break; }
            }
            p += bytes;
        }
    }
    return out;
}

QAudioFormat chooseFormat(const QAudioDevice& device)
{
    QAudioFormat format;
    format.setSampleRate(22050);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Float);
    if (device.isNull() || device.isFormatSupported(format))
        return format;
    format.setSampleFormat(QAudioFormat::Int16);
    if (device.isFormatSupported(format))
        return format;
    return device.preferredFormat(); // resampling to its rate happens in the decoder
}
} // namespace

EvaluationClipPlayer::EvaluationClipPlayer(QObject* parent) : QObject(parent) {}

EvaluationClipPlayer::~EvaluationClipPlayer()
{
    if (sink_)
        sink_->stop();
}

void EvaluationClipPlayer::play(const QString& file)
{
    const bool same = file == file_ && sink_;
    stop();
    if (same)
        return;
    const int id = ++request_;
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    if (device.isNull()) {
        Q_EMIT failed(file, tr("No audio output device"));
        return;
    }
    const QAudioFormat format = chooseFormat(device);
    auto* watcher = new QFutureWatcher<DecodedClip>(this);
    connect(watcher, &QFutureWatcher<DecodedClip>::finished, this, [this, watcher, id, file, format] {
        const DecodedClip clip = watcher->result();
        watcher->deleteLater();
        if (id != request_)
            return;
        if (!clip.error.isEmpty())
            Q_EMIT failed(file, clip.error);
        else
            startSink(file, format, clip.pcm);
    });
    watcher->setFuture(QtConcurrent::run([file, format]() -> DecodedClip {
        try {
            emoscope::DecodeOptions options;
            options.targetSampleRate = format.sampleRate();
            return {toPcm(emoscope::loadAudio(file.toStdString(), options).samples, format), {}};
        } catch (const std::exception& e) {
            return {{}, QString::fromStdString(e.what())};
        }
    }));
}

void EvaluationClipPlayer::startSink(const QString& file, const QAudioFormat& format, const QByteArray& pcm)
{
    pcm_ = pcm;
    buffer_ = new QBuffer(&pcm_, this);
    buffer_->open(QIODevice::ReadOnly);
    sink_ = new QAudioSink(QMediaDevices::defaultAudioOutput(), format, this);
    connect(sink_, &QAudioSink::stateChanged, this, [this](QAudio::State state) {
        if (state == QAudio::IdleState || (state == QAudio::StoppedState && sink_ && sink_->error() != QAudio::NoError))
            stop();
    });
    file_ = file;
    sink_->start(buffer_);
    if (sink_->error() != QAudio::NoError) {
        stop();
        Q_EMIT failed(file, tr("The audio output could not start"));
        return;
    }
    Q_EMIT started(file);
}

void EvaluationClipPlayer::stop()
{
    ++request_;
    if (!sink_)
        return;
    QAudioSink* sink = sink_;
    sink_ = nullptr;
    sink->disconnect(this);
    sink->stop();
    sink->deleteLater();
    buffer_->deleteLater();
    buffer_ = nullptr;
    const QString file = file_;
    file_.clear();
    Q_EMIT stopped(file);
}
