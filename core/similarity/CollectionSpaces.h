#pragma once
// A library's tracks as vectors in a named space, the input of every search, evaluation and map:
//   mfcc          per-coefficient mean and standard deviation of 20 MFCCs (40-d), z-scored
//   rp            Rhythm Patterns (1440) + Statistical Spectrum Descriptors (168), z-scored (IS 2a early fusion)
//   rp:scaled     the same, ranked by the tutorial's group-length-scaled distance
//   rp:weighted   ... scaled and weighted (RP 0.5, SSD 0.9)
//   run:DIR       the learned space of a saved run: a classifier's penultimate layer or a siamese embedding
// Features come from (and go into) the feature cache, so a second build of a space only reads files.
#include "core/features/FeatureSpec.h"
#include "core/similarity/Distances.h"
#include "core/similarity/EmbeddingMatrix.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sonolab {
struct Progress;
}
namespace sonolab::library {
class LibraryDatabase;
}

namespace sonolab::similarity {

struct SpaceOptions {
    std::filesystem::path featureCache;  // empty: "<library file>.features" beside the library
    int threads = 0;                     // feature extraction threads (0 = all cores)
};

// A track cut into overlapping windows, each a vector of the same space: where in a neighbour the match is.
struct TrackSegments {
    double hopSeconds = 0;
    double lengthSeconds = 0;
    EmbeddingMatrix vectors;  // ids = window index
};

struct CollectionSpace {
    std::string name;
    EmbeddingMatrix vectors;              // one row per track that could be embedded; ids = track ids
    Metric metric = Metric::Euclidean;
    std::optional<FeatureGroups> groups;  // set for the scaled/weighted RP+SSD distances
    std::map<std::int64_t, std::string> failures;  // track id -> why it has no vector (unreadable file ...)
    std::map<std::int64_t, TrackSegments> segments;  // per track, for spaces built from frame-wise features (mfcc)
};

struct SegmentMatch {
    double startSeconds = 0;
    double durationSeconds = -1;  // -1: the whole track (no segments in this space)
    float distance = 0;
};
// The neighbour's window nearest to the query track's vector: "play the neighbour from where it sounds most alike".
SegmentMatch mostSimilarSegment(const CollectionSpace& space, std::int64_t query, std::int64_t neighbour);

// The space names the CLI and browser offer (run: spaces are listed by the caller from the library's runs).
std::vector<std::string> handcraftedSpaceNames();

// The cache entries a handcrafted space is built from ("rp:weighted": rp and ssd), so they can be extracted ahead of
// time (`extract --db`). Throws Error for an unknown name.
std::vector<features::FeatureSpec> spaceFeatureSpecs(const std::string& space);

// Throws Error for an unknown space or an unusable run folder; tracks that fail are listed in failures.
CollectionSpace buildCollectionSpace(const library::LibraryDatabase& db, const std::string& space,
                                     const SpaceOptions& options = {}, const Progress* progress = nullptr);

}  // namespace sonolab::similarity
