#include "core/annotations/AnnotationText.h"

#include "core/util/Error.h"
#include "core/util/Text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>

namespace sonolab::annotations {

std::string readTextFile(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw fileError(file, "no such annotation file");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw fileError(file, "cannot open the annotation file");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw fileError(file, "read error");
    return text;
}

std::vector<TextLine> splitLines(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<TextLine> lines;
    std::size_t number = 0;
    while (!text.empty()) {
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back({++number, std::string(line)});
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

std::optional<double> parseNumber(std::string_view s) {
    const std::string t = trim(s);
    if (t.empty()) return std::nullopt;
    const char* first = t.data() + (t[0] == '+' ? 1 : 0);
    double v = 0;
    const auto [ptr, ec] = std::from_chars(first, t.data() + t.size(), v);
    if (ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::string fixed(double v, int decimals) {
    std::array<char, 64> buf;
    const auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
    return ec == std::errc() ? std::string(buf.data(), ptr) : std::to_string(v);
}

void throwLineError(const std::filesystem::path& file, std::size_t line, const std::string& problem) {
    throw fileError(file, "line " + std::to_string(line) + ": " + problem);
}

}  // namespace sonolab::annotations
