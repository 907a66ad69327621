#include "core/util/DelimitedLine.h"

namespace sonolab {

std::vector<std::string> splitDelimitedLine(const std::string& line, char delimiter, std::string* problem) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false, wasQuoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < line.size() && line[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == '"' && field.find_first_not_of(" ") == std::string::npos && !wasQuoted) {
            quoted = true;
            wasQuoted = true;
            field.clear();
        } else if (c == delimiter) {
            fields.push_back(field);
            field.clear();
            wasQuoted = false;
        } else {
            field += c;
        }
    }
    if (quoted && problem) *problem = "unterminated quote";
    fields.push_back(field);
    return fields;
}

}  // namespace sonolab
