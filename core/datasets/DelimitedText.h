#pragma once
// Reads CSV/TSV files as published by data sets: one record per line, optional double quotes ("" inside quotes is a
// quote), CRLF or LF, a UTF-8 byte-order mark ignored. Each row keeps its line number and raw text for error reports.
#include "core/util/DelimitedLine.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sonolab::datasets {

struct TextRow {
    std::size_t line = 0;            // 1-based
    std::string raw;                 // the line as in the file (without the line ending)
    std::vector<std::string> fields;
    std::string problem;             // not empty when the line could not be split (e.g. an unterminated quote)
};

// Picks tab when the first non-empty line has a tab, else ';' when it has semicolons and no commas, else ','.
char detectDelimiter(const std::filesystem::path& file);

// All non-blank lines. Throws sonolab::Error naming the file when it cannot be read.
std::vector<TextRow> readDelimited(const std::filesystem::path& file, char delimiter);

// Why `row` cannot be a record of a table with `expectedFields` columns (it did not split, or has another field
// count); empty when it can.
std::string rowShapeProblem(const TextRow& row, std::size_t expectedFields);

// Reads the 0/1 tag columns `columns` of `row` into `values` (one per column; "1", "1.0", "true" are 1, "0", "0.0",
// "false" and an empty field 0). Returns why a value is neither, naming the tag (`names[i]` for `columns[i]`), or
// empty.
std::string readTagFlags(const TextRow& row, const std::vector<std::size_t>& columns,
                         const std::vector<std::string>& names, std::vector<std::uint8_t>& values);

// In the base library, so the annotation readers share it (core/util/DelimitedLine.h).
using sonolab::splitDelimitedLine;

}  // namespace sonolab::datasets
