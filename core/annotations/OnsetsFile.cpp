#include "core/annotations/OnsetsFile.h"

#include "core/annotations/AnnotationText.h"
#include "core/util/AtomicFile.h"
#include "core/util/Text.h"

#include <algorithm>

namespace sonolab::annotations {

std::vector<double> parseOnsets(std::string_view text, const std::filesystem::path& file) {
    std::vector<double> onsets;
    for (const auto& line : splitLines(text)) {
        const std::string t = trim(line.text);
        if (t.empty() || t[0] == '#') continue;
        const auto time = parseNumber(t.substr(0, t.find_first_of(" \t,")));
        if (!time || *time < 0) throwLineError(file, line.number, "is not a time in seconds: '" + t + "'");
        onsets.push_back(*time);
    }
    std::sort(onsets.begin(), onsets.end());
    return onsets;
}

std::vector<double> readOnsetsFile(const std::filesystem::path& file) {
    return parseOnsets(readTextFile(file), file);
}

std::string formatOnsets(const std::vector<double>& onsets) {
    std::string text;
    for (double t : onsets) text += fixed(t, 6) + "\n";
    return text;
}

void writeOnsetsFile(const std::filesystem::path& file, const std::vector<double>& onsets) {
    writeFileAtomically(file, formatOnsets(onsets));
}

}  // namespace sonolab::annotations
