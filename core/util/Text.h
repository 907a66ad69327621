#pragma once
// Small text helpers the spec parsers share (task, model and onset data set specs).
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

}  // namespace sonolab
