#include "core/annotations/AudacityLabels.h"

#include "core/annotations/AnnotationText.h"
#include "core/util/Text.h"

#include <algorithm>
#include <cmath>

namespace sonolab::annotations {
namespace {

// Audacity reads times with either decimal separator (Internat::CompatibleToDouble).
std::optional<double> audacityTime(std::string field) {
    std::replace(field.begin(), field.end(), ',', '.');
    return parseNumber(field);
}

std::vector<std::string> splitTabs(const std::string& line) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
        const auto tab = line.find('\t', start);
        fields.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
    }
    return fields;
}

// The file holds 6 decimals: a duration read back is the difference of two such numbers, rounded to that grid, so
// that what was written reads back as the same double.
double onMicrosecondGrid(double seconds) { return std::round(seconds * 1e6) / 1e6; }

}  // namespace

Annotation parseAudacityLabels(std::string_view text, const std::filesystem::path& file) {
    Annotation a;
    for (const auto& line : splitLines(text)) {
        if (trim(line.text).empty()) continue;
        // Spectral-selection lines ("\\\tLOW\tHIGH") belong to the label above; the overlay has no frequency axis.
        if (line.text[0] == '\\') {
            if (a.events.empty()) throwLineError(file, line.number, "a frequency line ('\\') before any label");
            continue;
        }
        const auto fields = splitTabs(line.text);
        const auto start = audacityTime(fields[0]);
        if (!start || *start < 0)
            throwLineError(file, line.number, "does not start with a time in seconds: '" + line.text + "'");
        Event e{.time = *start};
        std::size_t labelField = 1;
        if (fields.size() > 1) {
            if (const auto end = audacityTime(fields[1])) {
                if (*end < *start)
                    throwLineError(file, line.number, "the label ends (" + fields[1] + ") before it starts (" +
                                                          fields[0] + ")");
                e.duration = onMicrosecondGrid(*end - *start);
                labelField = 2;
            }
        }
        // Audacity keeps the text up to the next tab; a third tab never appears in its own files.
        if (labelField < fields.size()) e.label = fields[labelField];
        a.events.push_back(std::move(e));
    }
    a.kind = guessKind(a.events);
    return a;
}

std::string formatAudacityLabels(const Annotation& annotation) {
    std::string out;
    for (const auto& e : annotation.events) {
        std::string label = e.label;
        std::replace_if(label.begin(), label.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
        out += fixed(e.time, 6) + "\t" + fixed(e.time + e.duration, 6) + "\t" + label + "\n";
    }
    return out;
}

}  // namespace sonolab::annotations
