#pragma once
// The tutorial's label tools on a LabelledCollection (pure functions: the input is never changed):
// merging synonym tags, keeping the top-N tags, and deriving tasks (an exclusive binary task such as instrumental vs
// vocal, single-label subsets, classes with at least N tracks).
#include "core/datasets/LabelledCollection.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sonolab::datasets {

// Each group lists tags that mean the same; the first is the name kept.
using SynonymGroups = std::vector<std::vector<std::string>>;

// The 29 synonym groups the ISMIR 2018 tutorial merges in MagnaTagAtune (Part_0: 188 tags -> 135).
const SynonymGroups& tutorialSynonyms();
// One group per line, tags separated by commas (or tabs); '#' starts a comment. Throws sonolab::Error on bad lines.
SynonymGroups readSynonyms(const std::filesystem::path& file);

// A clip has the merged tag when it has any of the group's tags. The merged column takes the place of the group's
// first tag present in the collection; tags of a group that are absent are ignored.
LabelledCollection mergeSynonyms(const LabelledCollection& in, const SynonymGroups& groups);

// Keeps the n most frequent classes (ties: the earlier class), in their original order. Clips are all kept.
LabelledCollection keepTopTags(const LabelledCollection& in, std::size_t n);

// Keeps classes with at least minTracks positives; drops clips left without any positive (the tutorial's moods).
LabelledCollection keepClassesWithAtLeast(const LabelledCollection& in, std::size_t minTracks);

// A binary task named positiveName: a clip is positive when it has a tag of positiveTags and none of negativeTags,
// negative in the opposite case, and left out when it has both or neither (the tutorial's XOR of instrumental/vocal).
LabelledCollection deriveExclusiveBinary(const LabelledCollection& in, const std::vector<std::string>& positiveTags,
                                         const std::vector<std::string>& negativeTags, const std::string& positiveName);

// A single-label task over classes: clips with exactly one of them; at most maxPerClass per class when > 0
// (a seeded random choice, as the tutorial's 500 per genre).
LabelledCollection deriveSingleLabel(const LabelledCollection& in, const std::vector<std::string>& classes,
                                     std::size_t maxPerClass = 0, std::uint64_t seed = 0);

}  // namespace sonolab::datasets
