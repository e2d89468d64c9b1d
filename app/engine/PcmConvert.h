// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QAudioFormat>
#include <QByteArray>
#include <vector>

// Conversions between Qt audio PCM and the float samples core works on.

// Interleaved PCM in any QAudioFormat sample format (UInt8, Int16, Int32, Float) -> mono float in [-1, 1],
// channels averaged. Appends to out; a trailing partial frame is ignored (the caller keeps it for later).
// Returns the number of bytes consumed (whole frames).
qint64 appendPcmAsMonoFloat(const char* data, qint64 bytes, const QAudioFormat& format, std::vector<float>& out);

// The reverse, for playback: mono float samples (clamped to [-1, 1]) -> interleaved frames in the format's
// sample type, the same value on every channel. Integers are rounded to nearest.
QByteArray monoFloatToPcm(const std::vector<float>& samples, const QAudioFormat& format);
