#pragma once
// Train/validation/test splits: stratified random (per class, seeded), group-aware (every clip of a group on the same
// side: clips cut from one source track never leak between training and test), and the data set's own split.
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
// its share of clips.
std::vector<library::SplitAssignment> groupAwareSplit(std::vector<SplitItem> items, const SplitFractions& fractions,
                                                      std::uint64_t seed);

struct SplitRequest {
    enum class Kind { Stratified, Dataset, Group };
    Kind kind = Kind::Stratified;
    std::string labelSet;    // whose members are split and whose classes stratify; empty = the only label set
    std::string name;        // the split to write; empty = "<labelSet>-<kind>"
    std::uint64_t seed = 0;
    SplitFractions fractions;
};

SplitRequest::Kind splitKindFromString(const std::string& text);  // stratified | dataset | group

// Writes the split (replacing one of the same name) and returns its summary. A dataset split copies the label set's
// own split (e.g. MagnaTagAtune's folder rule), written when it was imported. Throws sonolab::Error.
library::SplitSummary makeSplit(library::LibraryDatabase& db, const SplitRequest& request);

}  // namespace sonolab::datasets
