#pragma once
// Honest evaluation of similarity spaces, learned (siamese, classifier embeddings) and handcrafted alike: precision@k
// and mean average precision by label, leaving out each query's own group (or artist), optionally on one part of a
// split only. With a split part, queries AND candidates are that part's tracks, so a learned space is not scored on
// the clips it was trained on; evaluating a handcrafted space with the same split and part gives the comparison.
#include "core/similarity/CollectionSpaces.h"
#include "core/similarity/RetrievalEvaluation.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace sonolab {
struct Progress;
}
namespace sonolab::library {
class LibraryDatabase;
}

namespace sonolab::pipeline {

struct SpaceEvaluationRequest {
    std::string space = "mfcc";      // mfcc, rp, rp:scaled, rp:weighted, run:RUN_DIR
    std::string metric = "euclidean";  // not for rp:scaled / rp:weighted (their own grouped distance)
    std::string labelSet;            // labels from this label set only; empty = all
    std::vector<std::string> labels;  // labels that define relevance; empty = all
    std::string split;               // empty = every track
    std::string part = "test";       // with split: train, validation or test
    std::size_t k = 10;
    bool excludeGroup = true;        // leave out neighbours from the query's own group (source track)
    bool excludeArtist = false;      // leave out the query's artist instead
    std::filesystem::path featureCache;  // empty = beside the library
};

struct SpaceEvaluation {
    similarity::RetrievalReport report;
    std::string metric;                    // "euclidean", ..., or "grouped"
    std::vector<std::int64_t> tracks;      // the tracks that took part (queries and candidates)
    std::map<std::int64_t, std::string> failures;  // tracks the space could not place
};

// The group a query's neighbours are left out by: its artist (byArtist), else its source track (byGroup), else the
// track alone; an empty artist or group falls through to the next.
std::string retrievalGroup(std::int64_t track, const std::string& artist, const std::string& group, bool byArtist,
                           bool byGroup);

// Keeps only the rows of these tracks.
void keepTracks(const std::set<std::int64_t>& tracks, similarity::CollectionSpace& space);

// Keeps only the rows of tracks in `part` of split `split`; throws Error when the split has no such tracks.
void restrictToSplitPart(const library::LibraryDatabase& db, const std::string& split, const std::string& part,
                         similarity::CollectionSpace& space);

// The space the request names (request.space), features through its cache, its metric applied (not to the grouped
// RP distances); throws Error when no track could be placed. `threads`: feature extraction (0 = all cores).
similarity::CollectionSpace buildEvaluatedSpace(const library::LibraryDatabase& db, const SpaceEvaluationRequest& request,
                                                const Progress* progress = nullptr, int threads = 0);

// The labels that define relevance for each track, as the request says (its label set or all sets, its labels or all).
std::map<std::int64_t, std::vector<std::string>> relevanceLabels(const library::LibraryDatabase& db,
                                                                 const SpaceEvaluationRequest& request);

// Evaluates a space already built: every track in it is a candidate, the tracks in `queries` are asked (empty: every
// track). The request's split and part are not applied here. Throws Error when no query carries the labels.
SpaceEvaluation evaluateBuiltSpace(const library::LibraryDatabase& db, const similarity::CollectionSpace& space,
                                   const SpaceEvaluationRequest& request, const std::set<std::int64_t>& queries = {},
                                   const Progress* progress = nullptr);

// The label set a space learnt from: a run trained on a library task "...@SET" (a classifier, or train-siamese,
// whose pairs come from the task's labels or tags). Empty for a space that never saw labels (mfcc, rp, a `pretrain`
// run) or a run whose task names no label set. Scored by that set over the tracks it trained on, such a space flatters itself.
std::string labelSetLearntBy(const std::string& space);

// Builds the space (features through the cache) and evaluates it. Throws Error when no track carries the labels.
SpaceEvaluation evaluateSpace(const library::LibraryDatabase& db, const SpaceEvaluationRequest& request,
                              const Progress* progress = nullptr);

}  // namespace sonolab::pipeline
