#pragma once
// Labelling a library's unlabelled tracks from the labelled ones nearest to them in a space: the k-NN classifier that
// `evaluate-similarity --folds K --knn 5` scores, applied (`sonolab-cli library label-by-neighbours`). A collection is
// mostly unlabelled; in the pretrained space the 5 nearest labelled clips labelled the demo's styles as well as a
// linear probe (README). The labels go into a new single-label set, so the user's own labels are never overwritten,
// and each names its vote and its space as its source.
#include "core/similarity/CollectionSpaces.h"
#include "core/similarity/ExactIndex.h"

#include <cstddef>
#include <cstdint>
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

namespace sonolab::pipeline {

// The k-NN classifier of a space: its labelled rows vote (similarity::voteShares); one class for the folds' k-NN
// report and for labelling a library, so both classify alike. The voters sit in an exact index of their own, so a
// query costs the voters, not the whole collection (a library of 100k tracks with a few hundred labels). A space of
// grouped distances ranks the whole collection, whose maxima scale its groups.
class NeighbourVoter {
public:
    // voterRows: rows of the space, ascending; classOfVoter: the class of each, in [0, classes).
    NeighbourVoter(const similarity::CollectionSpace& space, std::vector<std::size_t> voterRows,
                   std::vector<int> classOfVoter, std::size_t classes);
    // Vote shares of the classes among the k voters nearest row `query` (a tie in distance goes to the earlier row).
    std::vector<float> votes(std::size_t query, std::size_t k) const;
    std::size_t voters() const { return rows_.size(); }

private:
    const similarity::CollectionSpace& space_;
    std::vector<std::size_t> rows_;
    std::vector<int> classOf_;
    std::size_t classes_;
    std::optional<similarity::ExactIndex> index_;  // the voters alone; empty for grouped distances
};

struct NeighbourLabellingRequest {
    std::filesystem::path library;
    std::string space = "mfcc";      // mfcc, rp, run:RUN_DIR, ... (as evaluate-similarity)
    std::string metric = "euclidean";
    std::string labelSet;            // a single-label set: its labelled tracks vote
    std::string into;                // the new label set the votes are written to
    bool replace = false;            // an existing `into` is replaced (else refused); never the voting set itself
    std::size_t k = 5;
    std::filesystem::path featureCache;  // empty = beside the library
    int threads = 0;                 // feature extraction (0 = all cores)
};

struct NeighbourLabelling {
    std::size_t voters = 0;                          // labelled tracks placed in the space
    std::map<std::string, std::size_t> perClass;     // tracks labelled, by class
    std::map<std::int64_t, std::string> labelOf;     // each labelled track's class
    std::map<std::int64_t, float> shareOf;           // its class's share of the vote
    std::map<std::int64_t, std::string> sourceOf;    // its label's source: "k-NN: V of K nearest labelled in SPACE"
    std::map<std::int64_t, std::string> failures;    // tracks the space could not place (left unlabelled)
    std::vector<std::string> classes;                // the new set's classes (the voting set's)
    std::string setSource;                           // the new set's source
};

// Writes a vote into its (new or replaced) label set in one transaction: what labelByNeighbours ends with, and what
// an undone vote is written again with.
void writeNeighbourLabelling(library::LibraryDatabase& db, const std::string& into, const NeighbourLabelling& labelling);

// Every track in the space without a label in request.labelSet gets the class its k nearest labelled tracks vote
// for, written to the new set request.into (single-label, the same classes) with source "k-NN: V of K nearest
// labelled in SPACE". Throws sonolab::Error naming the library when the set is missing or multi-label, `into` exists
// (without replace) or is the voting set, or no track is labelled; nothing is written then.
NeighbourLabelling labelByNeighbours(const NeighbourLabellingRequest& request, const Progress* progress = nullptr);
// The same in a space already built (the Similarity tab's): request.space only names it in the sources.
NeighbourLabelling labelByNeighbours(const NeighbourLabellingRequest& request, const similarity::CollectionSpace& space,
                                     const Progress* progress = nullptr);

}  // namespace sonolab::pipeline
