#include "core/annotations/SimilarityMarks.h"

#include <algorithm>

namespace sonolab::annotations {

Annotation similarityMarks(const std::string& queryName, const std::vector<NeighbourMark>& neighbours,
                           double trackSeconds) {
    Annotation out{.kind = Kind::Tag, .events = {}};
    out.events.push_back({.time = 0, .duration = trackSeconds, .label = "query: " + queryName, .value = 0.0});
    for (std::size_t i = 0; i < neighbours.size(); ++i) {
        const auto& n = neighbours[i];
        Event e{.time = 0, .duration = trackSeconds, .label = std::to_string(i + 1) + ": " + n.name, .value = n.distance};
        if (n.matchStart && n.matchDuration > 0) {
            e.time = *n.matchStart;
            e.duration = n.matchDuration;
        }
        out.events.push_back(std::move(e));
    }
    // Events in time order, as every reader returns them; ties keep the rank order (stable).
    std::stable_sort(out.events.begin(), out.events.end(), [](const Event& a, const Event& b) { return a.time < b.time; });
    return out;
}

}  // namespace sonolab::annotations
