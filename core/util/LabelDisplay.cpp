// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/LabelDisplay.h"

namespace emoscope {

std::string labelDisplayName(const std::string& label)
{
    // TESS's abbreviation is the only model label that is not an English word.
    if (label == "ps")
        return "pleasant surprise";
    return label;
}

} // namespace emoscope
