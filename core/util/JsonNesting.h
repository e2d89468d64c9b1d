// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <string_view>

namespace emoscope {

// Refuses JSON text (before any parser sees it) that is larger than maxBytes or nests arrays/objects deeper than
// maxDepth. Why: a model card or checkpoint comes from a file anyone can craft, and a 200 KB card nesting 60k
// levels overflowed the stack in the JSON library's recursive conversions. Counts brackets outside strings only.
// Throws std::invalid_argument("... nested deeper than N levels" / "... larger than N bytes").
void checkJsonNesting(std::string_view text, int maxDepth, std::size_t maxBytes);

} // namespace emoscope
