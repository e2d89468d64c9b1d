// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/AudioError.h"

#include <utility>

namespace emoscope {

const char* toString(AudioErrorKind kind)
{
    switch (kind) {
    case AudioErrorKind::NotFound: return "not found";
    case AudioErrorKind::NotAFile: return "not a file";
    case AudioErrorKind::NotAudio: return "not audio";
    case AudioErrorKind::UnsupportedEncoding: return "unsupported encoding";
    case AudioErrorKind::Empty: return "empty";
    case AudioErrorKind::TooLong: return "too long";
    case AudioErrorKind::TooShort: return "too short";
    case AudioErrorKind::BadSamples: return "bad samples";
    case AudioErrorKind::ReadFailed: return "read failed";
    case AudioErrorKind::WriteFailed: return "write failed";
    }
    return "unknown";
}

namespace {
// what() must stay one line even when a library message carries a newline.
std::string oneLine(std::string s)
{
    for (char& c : s)
        if (c == '\n' || c == '\r')
            c = ' ';
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}
} // namespace

AudioError::AudioError(AudioErrorKind kind, std::string path, const std::string& reason)
    : std::runtime_error(oneLine(path + ": " + reason)), kind_(kind), path_(std::move(path))
{
}

} // namespace emoscope
