// SPDX-License-Identifier: GPL-3.0-or-later
// Mono float PCM for Recorder::startPushed / PersonalizeSession::startPushed: the format and the bytes, as a
// microphone would deliver them, for the tests that feed the recorder without a sound server.
#pragma once
#include <QAudioFormat>
#include <QByteArray>
#include <vector>

namespace testdata {

inline QAudioFormat monoFloatFormat(int sampleRate)
{
    QAudioFormat format;
    format.setSampleRate(sampleRate);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Float);
    return format;
}

inline QByteArray floatBytes(const std::vector<float>& samples)
{
    return QByteArray(reinterpret_cast<const char*>(samples.data()), qsizetype(samples.size() * sizeof(float)));
}

} // namespace testdata
