#pragma once
// Where two tracks match best, in both of them: the neighbour's window nearest to the query (the one a click plays
// from, core's mostSimilarSegment) and the query's window nearest to that neighbour window. The browser draws both
// as bands on the side-by-side spectrograms. Spaces without per-window vectors (RP+SSD, learned spaces) compare
// whole tracks: then there are no bands.
#include "core/similarity/CollectionSpaces.h"

#include <cstdint>
#include <optional>

namespace sonolab::ui {

struct TimeBand {
    double startSeconds = 0;
    double durationSeconds = 0;
    double endSeconds() const { return startSeconds + durationSeconds; }
};

struct MatchedSegments {
    std::optional<TimeBand> query, neighbour;
    float distance = 0;  // between the two windows (neighbour window vs. query track when the query has no windows)
};

MatchedSegments matchSegments(const similarity::CollectionSpace& space, std::int64_t query, std::int64_t neighbour);

// The window of a track nearest to the track's own summary vector: where to preview it from. Empty without windows.
std::optional<TimeBand> representativeSegment(const similarity::CollectionSpace& space, std::int64_t track);

}  // namespace sonolab::ui
