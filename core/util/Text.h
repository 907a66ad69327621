#pragma once
// Small text helpers the spec parsers and file writers share (task, model and onset data set specs, model.txt,
// annotation files).
#include <charconv>
#include <string>
#include <string_view>

namespace sonolab {

// s without leading and trailing spaces, tabs and line ends.
inline std::string trim(std::string_view s) {
    constexpr std::string_view space = " \t\r\n";
    const auto b = s.find_first_not_of(space);
    if (b == std::string_view::npos) return {};
    return std::string(s.substr(b, s.find_last_not_of(space) - b + 1));
}

// The shortest text that reads back as the same double: "0.2", not "0.20000000000000001" nor std::to_string's
// "0.200000" (which turns 1e-7 into "0.000000").
inline std::string shortestText(double v) {
    char buffer[32];  // the longest double, "-2.2250738585072014e-308", is 24 characters
    return {buffer, std::to_chars(buffer, buffer + sizeof buffer, v).ptr};
}

}  // namespace sonolab
