// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/JsonNesting.h"

#include <stdexcept>
#include <string>

namespace emoscope {

void checkJsonNesting(std::string_view text, int maxDepth, std::size_t maxBytes)
{
    if (text.size() > maxBytes)
        throw std::invalid_argument("JSON text larger than " + std::to_string(maxBytes) + " bytes");
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i; // the escaped character cannot end the string
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                throw std::invalid_argument("JSON nested deeper than " + std::to_string(maxDepth) + " levels");
        } else if (c == ']' || c == '}') {
            --depth; // unbalanced text is the parser's to reject
        }
    }
}

} // namespace emoscope
