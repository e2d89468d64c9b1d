// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <stdexcept>
#include <string>

namespace emoscope {

// Why an audio file could not be used. Each maps to one user-facing reason.
enum class AudioErrorKind {
    NotFound,            // no such file
    NotAFile,            // a directory or other non-regular file
    NotAudio,            // libsndfile does not recognise the contents
    UnsupportedEncoding, // recognised container, codec it cannot decode
    Empty,               // zero samples
    TooLong,             // longer than DecodeOptions::maxSeconds
    TooShort,            // shorter than DecodeOptions::minSeconds (too short to analyze)
    BadSamples,          // non-finite (NaN, Inf) or absurdly large sample values
    ReadFailed,          // I/O error or corrupt data part-way through
    WriteFailed,         // could not write/rename an output file
};

const char* toString(AudioErrorKind kind);

// Thrown by every audio function. what() is one line: "<path>: <reason>".
class AudioError : public std::runtime_error {
public:
    AudioError(AudioErrorKind kind, std::string path, const std::string& reason);
    AudioErrorKind kind() const { return kind_; }
    const std::string& path() const { return path_; }

private:
    AudioErrorKind kind_;
    std::string path_;
};

} // namespace emoscope
