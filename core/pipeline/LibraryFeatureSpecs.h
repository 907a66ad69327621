#pragma once
// The features a library will ask its feature cache for, so `sonolab-cli extract --db LIB` can compute them ahead of
// time (on a cluster, in shards) and training and the similarity spaces then only read the cache. Each spec comes
// from the code that will ask for it: training's per-architecture defaults (ModelFeatures.h), the handcrafted
// spaces (CollectionSpaces.h) and the feature specs stored with the library's runs (their learned spaces).
#include "core/features/FeatureSpec.h"

#include <string>
#include <vector>

namespace sonolab::library {
class LibraryDatabase;
}

namespace sonolab::pipeline {

struct LibraryFeatureNeed {
    features::FeatureSpec spec;
    std::vector<std::string> usedBy;  // "train:compact_cnn", "space:mfcc", "run:DIR" ...
};

// `wanted` picks: "train:ARCH" (a classifier; the siamese networks use dense's and compact_cnn's), "train" (every
// classifier), "space:NAME" (mfcc, rp, rp:scaled, rp:weighted), "spaces" (all of them), "runs" (the features of
// every stored run whose folder is readable). Empty = all of these. Specs needed by several uses are listed once.
// Throws Error for an unknown word or architecture.
std::vector<LibraryFeatureNeed> libraryFeatureNeeds(const library::LibraryDatabase& db,
                                                    const std::vector<std::string>& wanted = {});

}  // namespace sonolab::pipeline
