#include "core/datasets/LabelledCollection.h"

#include <algorithm>

namespace sonolab::datasets {

std::size_t LabelledCollection::classIndex(const std::string& name) const {
    return static_cast<std::size_t>(std::find(classes.begin(), classes.end(), name) - classes.begin());
}

std::vector<std::size_t> LabelledCollection::classCounts() const {
    std::vector<std::size_t> counts(classes.size(), 0);
    for (const auto& clip : clips)
        for (std::size_t i = 0; i < counts.size() && i < clip.values.size(); ++i) counts[i] += clip.values[i] ? 1 : 0;
    return counts;
}

std::string ImportReport::describeProblems(std::size_t maxItems) const {
    std::string out;
    auto section = [&](const std::string& title, std::size_t count, auto&& item) {
        if (count == 0) return;
        out += title + " (" + std::to_string(count) + "):\n";
        for (std::size_t i = 0; i < std::min(count, maxItems); ++i) out += "  " + item(i) + "\n";
        if (count > maxItems) out += "  ... and " + std::to_string(count - maxItems) + " more\n";
    };
    section("malformed lines", malformed.size(), [&](std::size_t i) {
        const auto& m = malformed[i];
        return m.file + ":" + std::to_string(m.line) + ": " + m.problem + ": " + m.content;
    });
    section("missing audio files", missingFiles.size(), [&](std::size_t i) { return missingFiles[i]; });
    section("duplicates", duplicates.size(), [&](std::size_t i) { return duplicates[i]; });
    section("unreadable audio files", unreadable.size(),
            [&](std::size_t i) { return unreadable[i].path + ": " + unreadable[i].reason; });
    return out;
}

}  // namespace sonolab::datasets
