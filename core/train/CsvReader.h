// SPDX-License-Identifier: GPL-3.0-or-later
// Minimal RFC 4180 reader for dataset manifests (internal to core/train).
#pragma once
#include <string>
#include <vector>

namespace emoscope {

// Reads every record of a CSV file: quoted fields (with "" escapes and embedded commas/newlines), CRLF or LF,
// a UTF-8 BOM is dropped, blank lines are skipped. Throws std::runtime_error when the file cannot be opened (with the
// system's reason) or a quote never closes (naming the line it opened on).
std::vector<std::vector<std::string>> readCsvFile(const std::string& path);

// Index of the first header cell equal (case-insensitively, trimmed) to one of `names`, or -1.
int csvColumn(const std::vector<std::string>& header, const std::vector<std::string>& names);

} // namespace emoscope
