#pragma once
// One line of a CSV/TSV file split into fields: optional double quotes around a field ("" inside quotes is a quote).
// Shared by the data set importers (core/datasets) and the annotation readers (core/annotations).
#include <string>
#include <vector>

namespace sonolab {

// `problem` (when given) is set to "unterminated quote" for a line whose last quote is not closed.
std::vector<std::string> splitDelimitedLine(const std::string& line, char delimiter, std::string* problem = nullptr);

}  // namespace sonolab
