// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QAudioFormat>
#include <vector>

// Interleaved PCM in any QAudioFormat sample format (UInt8, Int16, Int32, Float) -> mono float in [-1, 1],
// channels averaged. Appends to out; a trailing partial frame is ignored (the caller keeps it for later).
// Returns the number of bytes consumed (whole frames).
qint64 appendPcmAsMonoFloat(const char* data, qint64 bytes, const QAudioFormat& format, std::vector<float>& out);
