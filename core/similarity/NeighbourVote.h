#pragma once
// k-nearest-neighbour classification: the classes of a track's nearest labelled tracks vote. One owner for the
// command line's k-NN reports (evaluate-similarity --folds --knn, core/pipeline/SpaceFolds.h) and the Similarity
// tab's "Label as" suggestion, so that what the app suggests is what the folds measured.
#include <cstddef>
#include <span>
#include <vector>

namespace sonolab::similarity {

// Vote shares of `classes` classes, from the class of each voter, nearest first: one vote each, and a tie between
// classes goes to the one whose voters stand nearer (each vote weighs 1 + 1e-6 (n - rank)). The shares sum to 1; all
// zero without voters. Throws std::out_of_range for a class outside [0, classes).
std::vector<float> voteShares(std::span<const int> classOfVoterNearestFirst, std::size_t classes);

// For a multi-label set: each label's share is the fraction of the voters that carry it (they need not sum to 1), so a
// label is voted for on its own, as a multi-label classifier decides each output apart. Throws std::out_of_range for a
// label outside [0, labels).
std::vector<float> labelShares(std::span<const std::vector<int>> labelsOfVoter, std::size_t labels);

}  // namespace sonolab::similarity
