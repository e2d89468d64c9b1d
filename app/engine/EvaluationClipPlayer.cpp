// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/EvaluationClipPlayer.h"

#include "audio/AudioDecoder.h"
#include "engine/Async.h"
#include "engine/PcmConvert.h"

#include <QAudioDevice>
#include <QAudioSink>
#include <QBuffer>
#include <QMediaDevices>

namespace {
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
    engine::runJob(
        this,
        [file, format] {
            emoscope::DecodeOptions options;
            options.targetSampleRate = format.sampleRate();
            return monoFloatToPcm(emoscope::loadAudio(engine::toCore(file), options).samples, format);
        },
        [this, id, file, format](const engine::Outcome<QByteArray>& clip) {
            if (id != request_)
                return; // a newer play() or stop() came first
            if (!clip.ok())
                Q_EMIT failed(file, clip.error);
            else
                startSink(file, format, clip.value);
        });
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
