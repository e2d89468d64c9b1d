// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>

namespace emoscope {

// The words users read for a model label: "ps" is "pleasant surprise"; every other label reads as itself.
// Model files, CSV label columns and the CLI keep the short labels; this is only for what is shown.
std::string labelDisplayName(const std::string& label);

} // namespace emoscope
