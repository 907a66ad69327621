#pragma once
// Train/validation/test splits: stratified random (per class, seeded), group-aware (every clip of a group on the same
// side: clips cut from one source track never leak between training and test), album-aware (every clip of an album
// on one side: no "album effect" of shared production), and the data set's own split; and k folds of whole groups
// for cross-validation (`evaluate --folds K`).
// Shuffles use a fixed generator and algorithm, so a seed gives the same split on every platform and build.
#include "core/datasets/LabelledCollection.h"
#include "core/library/LibraryDatabase.h"

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace sonolab::datasets {

struct SplitFractions {
    double train = 0.7, validation = 0.15, test = 0.15;
};

struct SplitItem {
    TrackId track = 0;
    std::string stratum;  // the class used for stratification ("" = its own stratum)
    std::string group;    // "" = the clip is a group of its own
};

// Fisher-Yates with a 64-bit Mersenne Twister and modulo reduction: reproducible, unlike std::shuffle.
template <typename T>
void seededShuffle(std::vector<T>& items, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[rng() % i]);
}

// Each stratum is shuffled and cut by the fractions (largest remainders), so class proportions match in every part.
std::vector<library::SplitAssignment> stratifiedSplit(std::vector<SplitItem> items, const SplitFractions& fractions,
                                                      std::uint64_t seed);
// Groups are shuffled within the stratum of their most common class and each goes whole to the part furthest below
// its share of clips. Ties go to train, then validation, then test; `testBeforeValidation` prefers test to
// validation instead, for few large groups (albums: a class of two albums gets one for training and one for test).
std::vector<library::SplitAssignment> groupAwareSplit(std::vector<SplitItem> items, const SplitFractions& fractions,
                                                      std::uint64_t seed, bool testBeforeValidation = false);

// K folds of whole groups, for cross-validation: groups are shuffled within the stratum of their most common class
// and each goes to the fold with the fewest clips of that stratum so far (then the fewest clips), so every fold
// holds each class in proportion. Returns (track, fold in 0..folds-1) ordered by track. Throws when folds < 2 or
// there are fewer groups than folds.
struct FoldAssignment {
    TrackId track = 0;
    int fold = 0;
};
std::vector<FoldAssignment> groupFolds(std::vector<SplitItem> items, int folds, std::uint64_t seed);

// Which clips must stay together: the source track (the library's group) or the album (the album tag, falling back
// to the group where a track has none). Empty = the track is a group of its own.
enum class GroupBy { Group, Album };
GroupBy groupByFromString(const std::string& text);  // group | album
std::string groupOf(const library::TrackRecord& track, GroupBy by);

struct SplitRequest {
    enum class Kind { Stratified, Dataset, Group, Album };
    Kind kind = Kind::Stratified;
    std::string labelSet;    // whose members are split and whose classes stratify; empty = the only label set
    std::string name;        // the split to write; empty = "<labelSet>-<kind>"
    std::uint64_t seed = 0;
    SplitFractions fractions;
};

SplitRequest::Kind splitKindFromString(const std::string& text);  // stratified | dataset | group | album

// Writes the split (replacing one of the same name) and returns its summary. A dataset split copies the label set's
// own split (e.g. MagnaTagAtune's folder rule), written when it was imported. Throws sonolab::Error.
library::SplitSummary makeSplit(library::LibraryDatabase& db, const SplitRequest& request);

}  // namespace sonolab::datasets
