#pragma once
// Labelling a library's unlabelled tracks from the labelled ones nearest to them in a space: the k-NN classifier that
// `evaluate-similarity --folds K --knn 5` scores, applied (`sonolab-cli library label-by-neighbours`). A collection is
// mostly unlabelled; in the pretrained space the 5 nearest labelled clips labelled the demo's styles as well as a
// linear probe (README). The labels go into a new set of the voting set's kind, so the user's own labels are never
// overwritten, and each names its vote and its space as its source.
#include "core/similarity/CollectionSpaces.h"
#include "core/similarity/ExactIndex.h"
#include "core/similarity/NeighbourIndex.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
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
    struct Vote {
        // Single-label: per class, summing to 1 (similarity::voteShares). Multi-label: per label, the fraction of the
        // voters carrying it (similarity::labelShares).
        std::vector<float> shares;
        std::size_t winner = 0;  // the largest share (single-label: the nearer voters' on a tie)
    };

    // voterRows: rows of the space, ascending; labelsOfVoter: the labels each carries, in [0, labels) (exactly one
    // each in a single-label set).
    NeighbourVoter(const similarity::CollectionSpace& space, std::vector<std::size_t> voterRows,
                   std::vector<std::vector<int>> labelsOfVoter, std::size_t labels, bool multiLabel);
    // The k voters nearest row `query` vote (a tie in distance goes to the earlier row); with `keep`, only the voters
    // whose row it keeps (leaving a recording out of its own vote).
    Vote vote(std::size_t query, std::size_t k, const std::function<bool(std::size_t row)>& keep = {}) const;
    // The labels of those k voters, nearest first: what vote() tallies (and a smaller k's voters are its first ones).
    std::vector<std::vector<int>> labelsOfNearest(std::size_t query, std::size_t k,
                                                  const std::function<bool(std::size_t row)>& keep = {}) const;
    std::size_t voters() const { return rows_.size(); }
    const std::vector<std::size_t>& rows() const { return rows_; }
    const std::vector<int>& labelsOf(std::size_t voter) const { return labelsOf_[voter]; }
    std::size_t labels() const { return labels_; }
    bool multiLabel() const { return multi_; }

private:
    const similarity::CollectionSpace& space_;
    std::vector<std::size_t> rows_;
    std::vector<std::vector<int>> labelsOf_;
    std::size_t labels_;
    bool multi_;
    std::optional<similarity::ExactIndex> index_;  // the voters alone; empty for grouped distances
};

// The vote of these voters' labels, nearest first: one class each (single-label, ties to the nearer voters) or label
// by label (multi-label). What NeighbourVoter::vote ends with, and what the Similarity tab's suggestion counts over the
// neighbours its own index found.
NeighbourVoter::Vote tallyVotes(std::span<const std::vector<int>> labelsOfVoterNearestFirst, std::size_t labels,
                                bool multiLabel);

// A vote always names one of the voters' classes, even for a track unlike any of them (speech among labelled music
// styles). A plain distance threshold does not catch those: on the demo, speech clips stand nearer to orchestral
// clips than most labelled clips stand to their nearest labelled clip of another recording (README). That their
// nearest track is an unlabelled one does: a track's isolation is how much farther its nearest labelled track stands
// than its nearest track at all, both of another recording (1: a labelled track is its nearest). Compared with the
// labelled tracks' own isolation (reach), it lets a vote abstain: "none of these".
class LabelledIsolation {
public:
    // labelledRows: rows of the space; groupOfRow (empty, or one per row of the space): the recording each row comes
    // from, which isolation looks past (without it, each row is its own recording). collection: an index over the
    // whole space (the browser's); without one, one is built (exact up to similarity::IndexParams' HNSW threshold),
    // so a track's nearest neighbour costs a search, not a pass over a million-track collection.
    LabelledIsolation(const similarity::CollectionSpace& space, const std::vector<std::size_t>& labelledRows,
                      const std::vector<std::string>& groupOfRow = {},
                      std::shared_ptr<const similarity::NeighbourIndex> collection = {},
                      const Progress* progress = nullptr);
    // Row `row`'s isolation; infinite when no labelled row is of another recording.
    float of(std::size_t row) const;
    // The q-quantile (0 < q <= 1, nearest rank) of the labelled rows' own isolation, over at most maxProbes of them
    // spread evenly: how isolated a labelled track may be. Infinite when none has a labelled row of another recording.
    // Throws Cancelled when `cancel` is cancelled between probes.
    float reach(double quantile, std::size_t maxProbes = kProbes, const Progress* cancel = nullptr) const;
    static constexpr std::size_t kProbes = 2000;

private:
    const similarity::CollectionSpace& space_;
    std::vector<std::size_t> labelledRows_;
    std::vector<bool> isLabelled_;                       // per row (grouped distances)
    std::vector<int> recordingOfRow_;                    // empty: each row its own recording
    std::unordered_map<std::int64_t, int> recordingOfId_;
    std::shared_ptr<const similarity::NeighbourIndex> all_;  // the whole space; empty for grouped distances
    std::optional<similarity::ExactIndex> labelled_;         // the labelled rows alone
};

// When a vote labels a track, one rule for labelling a library and for the folds' k-NN report (which scores the
// rule on tracks whose labels it hides). Defaults measured on the demo's styles with speech among them (README).
struct VoteRule {
    std::size_t k = 5;  // 0: chosen from the labels themselves (chooseVoters)
    // A track more isolated from the labelled tracks (LabelledIsolation) than this quantile of the labelled
    // tracks themselves stays unlabelled; 0 = always vote.
    double reach = 0.95;
    double minShare = 0;  // a winner with a smaller share of the k votes leaves the track unlabelled
    // Multi-label: a label is written when at least this share of the k voters carry it (and minShare).
    static constexpr double kMajority = 0.5;
};

// The labels a vote writes under `rule`: the winner (single-label), or every label at least kMajority and minShare of
// the voters carry, strongest first (multi-label); empty when the share falls short.
std::vector<std::size_t> votedLabels(const NeighbourVoter::Vote& vote, const VoteRule& rule, bool multiLabel);

// How many voters suit this library's labels: each of the voter's labelled tracks (at most maxProbes, spread evenly)
// is voted on by the labelled tracks of other recordings, and the candidate k whose votes score the best macro-F1 wins
// (the larger k on a tie). Few labelled recordings per class want few voters, a well-labelled collection more
// (README); this asks the user's own labels rather than the demo's.
struct VoterChoice {
    std::size_t k = 5;
    std::map<std::size_t, double> macroF1;  // per candidate k
    static inline const std::vector<std::size_t> kCandidates{1, 3, 5, 7, 10};
};
VoterChoice chooseVoters(const NeighbourVoter& voter, const std::vector<std::string>& groupOfRow,
                         const std::vector<std::size_t>& candidates = VoterChoice::kCandidates,
                         std::size_t maxProbes = LabelledIsolation::kProbes, const Progress* cancel = nullptr);

// The reason a vote abstains under `rule`, given the track's isolation and the labelled tracks' reach(rule.reach);
// empty when it labels.
std::string abstention(const NeighbourVoter::Vote& vote, float isolation, const VoteRule& rule, float reach,
                       bool multiLabel = false);

struct NeighbourLabellingRequest {
    std::filesystem::path library;
    std::string space = "mfcc";      // mfcc, rp, run:RUN_DIR, ... (as evaluate-similarity)
    std::string metric = "euclidean";
    std::string labelSet;            // its labelled tracks vote (single- or multi-label)
    std::string into;                // the new label set the votes are written to
    bool replace = false;            // an existing `into` is replaced (else refused); never the voting set itself
    VoteRule rule;
    std::filesystem::path featureCache;  // empty = beside the library
    int threads = 0;                 // feature extraction (0 = all cores)
};

struct NeighbourLabelling {
    std::size_t voters = 0;                          // labelled tracks placed in the space
    struct VotedLabel {
        std::string label;
        float share = 0;     // of the vote
        std::string source;  // "k-NN: V of K nearest labelled in SPACE"
    };
    std::map<std::string, std::size_t> perClass;     // tracks labelled, by class (label)
    std::map<std::int64_t, std::vector<VotedLabel>> labelsOf;  // each labelled track's labels, strongest first
    std::map<std::int64_t, float> isolationOf;       // every unlabelled track's isolation (LabelledIsolation)
    std::map<std::int64_t, std::string> failures;    // tracks the space could not place (left unlabelled)
    std::map<std::int64_t, std::string> abstained;   // tracks the rule left unlabelled, and why
    float reach = 0;                                 // the voters' reach (infinite with rule.reach 0)
    std::vector<std::string> classes;                // the new set's classes (the voting set's)
    bool multiLabel = false;                         // the new set's kind (the voting set's)
    std::size_t k = 0;                               // voters per track (the request's, or the one chosen)
    std::map<std::size_t, double> macroF1OfK;        // with k chosen (rule.k 0): each candidate's score
    std::string setSource;                           // the new set's source
};

// Writes a vote into its (new or replaced) label set in one transaction: what labelByNeighbours ends with, and what
// an undone vote is written again with.
void writeNeighbourLabelling(library::LibraryDatabase& db, const std::string& into, const NeighbourLabelling& labelling);

// Every track in the space without a label in request.labelSet gets what its k nearest labelled tracks vote for (the
// class most of them have, or in a multi-label set each label at least half of them carry), unless request.rule
// abstains (those stay unlabelled and are listed), written to the new set request.into (the voting set's kind and
// classes), each label with source "k-NN: V of K nearest labelled in SPACE". Throws sonolab::Error naming the
// library when the set is missing, `into` exists (without replace) or is the voting set, or no track is labelled;
// nothing is written then.
NeighbourLabelling labelByNeighbours(const NeighbourLabellingRequest& request, const Progress* progress = nullptr);
// The same in a space already built (the Similarity tab's): request.space only names it in the sources; index, an
// index over that space (the tab's), spares building one for the none-of-these rule.
NeighbourLabelling labelByNeighbours(const NeighbourLabellingRequest& request, const similarity::CollectionSpace& space,
                                     const Progress* progress = nullptr,
                                     std::shared_ptr<const similarity::NeighbourIndex> index = {});

}  // namespace sonolab::pipeline
