// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>

namespace emoscope {

// A duration as a clock reads it, rounded to whole seconds: "0:07", "12:05", "1:02:03" (hours only when
// there are any). Negative and non-finite values read "0:00". For ETAs and elapsed times in every front end.
std::string formatDuration(double seconds);

} // namespace emoscope
