#pragma once
// Text helpers the plain-text annotation readers and writers share: lines with their numbers, strict numbers, and
// the number formats the tools write.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonolab::annotations {

struct TextLine {
    std::size_t number = 0;  // 1-based, for error messages
    std::string text;        // without the line ending
};

// The whole file; throws Error naming it when it cannot be read.
std::string readTextFile(const std::filesystem::path& file);
// Lines of `text` (LF or CRLF, a UTF-8 byte-order mark dropped), blank ones included.
std::vector<TextLine> splitLines(std::string_view text);

// The whole of `s` (spaces around it ignored) as a finite number, else nothing: "1.5x", "" and "nan" are not numbers.
std::optional<double> parseNumber(std::string_view s);

// Fixed-point with `decimals` digits ("%.6f" as Audacity writes times, 9 as Sonic Visualiser does).
std::string fixed(double v, int decimals);

// "FILE: line N: problem" as a sonolab::Error.
[[noreturn]] void throwLineError(const std::filesystem::path& file, std::size_t line, const std::string& problem);

}  // namespace sonolab::annotations
