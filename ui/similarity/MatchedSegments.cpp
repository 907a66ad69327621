#include "ui/similarity/MatchedSegments.h"

#include <cmath>
#include <limits>

namespace sonolab::ui {

using similarity::CollectionSpace;

MatchedSegments matchSegments(const CollectionSpace& space, std::int64_t query, std::int64_t neighbour) {
    MatchedSegments out;
    const auto seg = space.segments.find(neighbour);
    if (seg == space.segments.end() || seg->second.vectors.empty() || seg->second.hopSeconds <= 0) return out;
    // Exactly the window a click on the neighbour plays from.
    const auto match = similarity::mostSimilarSegment(space, query, neighbour);
    if (match.durationSeconds <= 0) return out;
    out.neighbour = TimeBand{match.startSeconds, match.durationSeconds};
    out.distance = match.distance;
    const auto window = std::size_t(std::lround(match.startSeconds / seg->second.hopSeconds));
    const auto q = space.segments.find(query);
    if (window >= seg->second.vectors.rows() || q == space.segments.end() || q->second.vectors.empty()) return out;
    const auto target = seg->second.vectors.row(window);
    float best = std::numeric_limits<float>::infinity();
    for (std::size_t w = 0; w < q->second.vectors.rows(); ++w) {
        const float d = similarity::distance(space.metric, q->second.vectors.row(w), target);
        if (d < best) {
            best = d;
            out.query = TimeBand{double(w) * q->second.hopSeconds, q->second.lengthSeconds};
        }
    }
    out.distance = best;
    return out;
}

std::optional<TimeBand> representativeSegment(const CollectionSpace& space, std::int64_t track) {
    const auto match = similarity::mostSimilarSegment(space, track, track);
    if (match.durationSeconds <= 0) return std::nullopt;
    return TimeBand{match.startSeconds, match.durationSeconds};
}

}  // namespace sonolab::ui
