// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <vector>

namespace emoscope {

// Index of the largest value (the first one on ties), -1 for an empty vector: the top label of a
// probability vector. The one rule for "which emotion won" in every front end.
inline int argmax(const std::vector<float>& values)
{
    int best = -1;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (best < 0 || values[i] > values[std::size_t(best)])
            best = int(i);
    return best;
}

} // namespace emoscope
