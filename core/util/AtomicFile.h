// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <functional>
#include <string>

namespace emoscope {

// Temp file in the target's folder + fsync + rename: a crash never leaves a half-written target.
// The temporary ".NAME.emoscope-tmp.PID.RANDOM" is created here, exclusively (O_CREAT|O_EXCL|O_NOFOLLOW, so a link
// planted at that name is never followed) with an unpredictable name, before `write` runs; `write` receives its path
// and must fill that file (opening it by name, e.g. with fopen "wb"); an empty result is an error. Throws std::runtime_error (naming `path`) when
// creating, writing, flushing or renaming fails, or when the temporary was replaced; the temporary is removed on
// failure. The first write to a folder in a process removes temporaries left there by killed writers (owner process
// gone, or older than an hour).
void writeFileAtomically(const std::string& path, const std::function<void(const std::string& tmpPath)>& write);

// Same, for a byte string (written through the descriptor that created the temporary).
void writeBytesAtomically(const std::string& path, const std::string& bytes);

// The marker in temporary names, for tests: ".NAME" + kTemporaryMarker + "PID.RANDOM".
inline constexpr const char* kTemporaryMarker = ".emoscope-tmp.";

} // namespace emoscope
