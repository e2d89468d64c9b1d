// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/CsvReader.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace emoscope {

namespace {

std::string trimmedLower(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    std::string out = s.substr(b, e - b + 1);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

} // namespace

std::vector<std::vector<std::string>> readCsvFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot open CSV file '" + path + "': " + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0)
        text.erase(0, 3);

    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    std::size_t line = 1, quoteLine = 0; // where the open quote started, for the error
    bool fieldStarted = false; // distinguishes an empty line from a line holding one empty field
    const auto endRow = [&] {
        if (fieldStarted || !row.empty()) {
            row.push_back(field);
            rows.push_back(std::move(row));
        }
        row.clear();
        field.clear();
        fieldStarted = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line;
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
            quoteLine = line;
            fieldStarted = true;
        } else if (c == ',') {
            row.push_back(field);
            field.clear();
            fieldStarted = true;
        } else if (c == '\n') {
            endRow();
            ++line;
        } else if (c == '\r') {
            // CR of CRLF (or a lone CR): end of record either way.
            endRow();
            ++line;
            if (i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    // A quote that never closes would swallow every later row into one field: an error, not silence.
    if (quoted)
        throw std::runtime_error("line " + std::to_string(quoteLine) + ": unbalanced quote (the quoted field never ends)");
    endRow();
    return rows;
}

int csvColumn(const std::vector<std::string>& header, const std::vector<std::string>& names)
{
    for (const auto& name : names)
        for (std::size_t i = 0; i < header.size(); ++i)
            if (trimmedLower(header[i]) == name)
                return int(i);
    return -1;
}

} // namespace emoscope
