#include "core/datasets/DelimitedText.h"

#include "core/util/Error.h"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace sonolab::datasets {

namespace {

void stripLineEnd(std::string& line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
}

bool blank(const std::string& line) { return line.find_first_not_of(" \t") == std::string::npos; }

}  // namespace

char detectDelimiter(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw fileError(file, "cannot open for reading");
    std::string line;
    while (std::getline(in, line)) {
        if (blank(line)) continue;
        if (line.find('\t') != std::string::npos) return '\t';
        if (line.find(';') != std::string::npos && line.find(',') == std::string::npos) return ';';
        return ',';
    }
    return ',';
}

std::vector<TextRow> readDelimited(const std::filesystem::path& file, char delimiter) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw fileError(file, "no such file");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw fileError(file, "cannot open for reading");
    std::vector<TextRow> rows;
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        stripLineEnd(line);
        if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        if (blank(line)) continue;
        TextRow row;
        row.line = number;
        row.fields = splitDelimitedLine(line, delimiter, &row.problem);
        row.raw = std::move(line);
        rows.push_back(std::move(row));
    }
    if (in.bad()) throw fileError(file, "read error");
    return rows;
}

std::string rowShapeProblem(const TextRow& row, std::size_t expectedFields) {
    if (!row.problem.empty()) return row.problem;
    if (row.fields.size() != expectedFields)
        return "expected " + std::to_string(expectedFields) + " fields, found " + std::to_string(row.fields.size());
    return {};
}

std::string readTagFlags(const TextRow& row, const std::vector<std::size_t>& columns,
                         const std::vector<std::string>& names, std::vector<std::uint8_t>& values) {
    auto lower = [](std::string v) {
        std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
        return v;
    };
    for (std::size_t t = 0; t < columns.size(); ++t) {
        const auto v = lower(row.fields[columns[t]]);
        if (v == "1" || v == "1.0" || v == "true")
            values.push_back(1);
        else if (v == "0" || v == "0.0" || v == "false" || v.empty())
            values.push_back(0);
        else
            return "tag '" + names[t] + "' has value '" + row.fields[columns[t]] + "' (expected 0 or 1)";
    }
    return {};
}

}  // namespace sonolab::datasets
