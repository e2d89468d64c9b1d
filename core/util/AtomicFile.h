// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <functional>
#include <string>

namespace emoscope {

// Temp file in the target's folder + flush + rename: a crash never leaves a half-written target.
// `write` receives the temporary path and must create that file completely; throws std::runtime_error
// (naming `path`) when writing, flushing or renaming fails; the temporary is removed on failure.
void writeFileAtomically(const std::string& path, const std::function<void(const std::string& tmpPath)>& write);

// Same, for a byte string.
void writeBytesAtomically(const std::string& path, const std::string& bytes);

} // namespace emoscope
