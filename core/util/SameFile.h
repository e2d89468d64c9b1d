// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>

namespace emoscope {

// True when a and b name the same file: the same device and inode when both exist (hard links, symlinks, "./x"
// vs "x"), else the same canonical path (a not-yet-existing output through a symlinked folder). Front ends use it
// to refuse an output path equal to an input before any work. Never throws.
bool sameFile(const std::string& a, const std::string& b);

} // namespace emoscope
