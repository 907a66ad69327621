#include "core/annotations/SvCsv.h"

#include "core/annotations/AnnotationText.h"
#include "core/util/DelimitedLine.h"
#include "core/util/Error.h"
#include "core/util/Text.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace sonolab::annotations {
namespace {

enum class Column { Time, Value, Duration, Label, Skipped };

struct Row {
    std::size_t line = 0;
    std::vector<std::string> fields;
};

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return s;
}

std::vector<Column> headerColumns(const Row& header, const std::filesystem::path& file) {
    std::vector<Column> columns;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string name = upper(trim(header.fields[i]));
        if (name == "FRAME")
            throwLineError(file, header.line, "times are in sample frames; export the layer with times in seconds");
        if (name == "TIME") columns.push_back(Column::Time);
        else if (name == "VALUE") columns.push_back(Column::Value);
        else if (name == "DURATION") columns.push_back(Column::Duration);
        else if (name == "LABEL") columns.push_back(Column::Label);
        // SV may name the value column after its unit; the label comes last.
        else if (i == 1 && i + 1 < header.fields.size()) columns.push_back(Column::Value);
        else if (i + 1 == header.fields.size() && i > 0) columns.push_back(Column::Label);
        else columns.push_back(Column::Skipped);
    }
    if (columns.empty() || columns[0] != Column::Time)
        throwLineError(file, header.line, "the first column must be TIME (seconds): '" + header.fields[0] + "'");
    return columns;
}

std::size_t leadingNumbers(const Row& row) {
    std::size_t n = 0;
    while (n < row.fields.size() && parseNumber(row.fields[n])) ++n;
    return n;
}

// Without a header: the number of numeric columns most lines with a text label start with (a label may itself be a
// number, so the lines with a text label decide; on a tie the wider layout, so that a garbled number is reported
// rather than read as part of a label), in SV's order time, value, duration, level.
std::vector<Column> guessedColumns(const std::vector<Row>& rows) {
    std::map<std::size_t, std::size_t> labelledBy;  // leading numbers -> lines with a text label after them
    std::size_t widest = 0;
    for (const auto& row : rows) {
        const std::size_t n = leadingNumbers(row);
        widest = std::max(widest, row.fields.size());
        if (n < row.fields.size()) ++labelledBy[n];
    }
    std::size_t numeric = widest;
    if (!labelledBy.empty())
        numeric = std::max_element(labelledBy.begin(), labelledBy.end(), [](const auto& a, const auto& b) {
                      return a.second <= b.second;
                  })->first;
    numeric = std::max<std::size_t>(numeric, 1);
    static constexpr Column kOrder[] = {Column::Time, Column::Value, Column::Duration};
    std::vector<Column> columns;
    for (std::size_t i = 0; i < numeric; ++i) columns.push_back(i < 3 ? kOrder[i] : Column::Skipped);  // 4th: level
    columns.push_back(Column::Label);
    return columns;
}

std::string quoted(const std::string& field, char delimiter) {
    if (field.find(delimiter) == std::string::npos && field.find('"') == std::string::npos) return field;
    std::string out = "\"";
    for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

Annotation parseSvCsv(std::string_view text, const std::filesystem::path& file) {
    std::vector<Row> rows;
    char delimiter = 0;
    for (auto& line : splitLines(text)) {
        if (trim(line.text).empty()) continue;
        if (!delimiter) delimiter = line.text.find('\t') != std::string::npos ? '\t' : ',';
        std::string problem;
        Row row{line.number, splitDelimitedLine(line.text, delimiter, &problem)};
        if (!problem.empty()) throwLineError(file, line.number, problem);
        rows.push_back(std::move(row));
    }
    Annotation a;
    if (rows.empty()) return a;
    const bool header = !parseNumber(rows[0].fields[0]);
    const auto columns = header ? headerColumns(rows[0], file) : guessedColumns(rows);
    for (std::size_t r = header ? 1 : 0; r < rows.size(); ++r) {
        const auto& row = rows[r];
        Event e;
        std::vector<std::string> labelParts;
        for (std::size_t i = 0; i < row.fields.size(); ++i) {
            const std::string& field = row.fields[i];
            // More fields than columns: a label holding the delimiter that SV did not quote.
            const Column column = i < columns.size() ? columns[i] : Column::Label;
            if (column == Column::Label) {
                labelParts.push_back(field);
                continue;
            }
            if (column == Column::Skipped) continue;
            const auto number = parseNumber(field);
            if (!number && !(header && trim(field).empty() && column != Column::Time))
                throwLineError(file, row.line, "column " + std::to_string(i + 1) + " is not a number: '" + field + "'");
            if (column == Column::Time) {
                if (*number < 0) throwLineError(file, row.line, "negative time " + field);
                e.time = *number;
            } else if (column == Column::Value) {
                e.value = number;
            } else if (number) {
                if (*number < 0) throwLineError(file, row.line, "negative duration " + field);
                e.duration = *number;
            }
        }
        for (std::size_t i = 0; i < labelParts.size(); ++i) e.label += (i ? std::string(1, delimiter) : "") + labelParts[i];
        a.events.push_back(std::move(e));
    }
    a.kind = guessKind(a.events);
    return a;
}

std::string formatSvCsv(const Annotation& annotation, char delimiter) {
    const auto& events = annotation.events;
    auto any = [&](auto pred) { return std::any_of(events.begin(), events.end(), pred); };
    const bool values = any([](const Event& e) { return e.value.has_value(); });
    const bool allValues = !any([](const Event& e) { return !e.value.has_value(); });
    const bool durations = any([](const Event& e) { return e.duration > 0; });
    const bool labels = any([](const Event& e) { return !e.label.empty(); });
    const bool numericLabels = any([](const Event& e) { return parseNumber(e.label).has_value(); });
    // SV's own column guess would misread these files without the names (see SvCsv.h).
    const bool header = (durations && !values) || (values && !allValues) || numericLabels;
    const std::string d(1, delimiter);
    std::string out;
    if (header)
        out += std::string("TIME") + (values ? d + "VALUE" : "") + (durations ? d + "DURATION" : "") +
               (labels ? d + "LABEL" : "") + "\n";
    for (const auto& e : events) {
        out += fixed(e.time, 9);
        if (values) out += d + (e.value ? shortestText(*e.value) : std::string());
        if (durations) out += d + fixed(e.duration, 9);
        if (!e.label.empty()) out += d + quoted(e.label, delimiter);
        out += "\n";
    }
    return out;
}

}  // namespace sonolab::annotations
