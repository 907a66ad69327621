#pragma once
// k-fold evaluation of a similarity space: every labelled track is queried once, in a space that never saw its label.
// A space trained on labels (a `train-siamese` run) cannot be scored on the tracks it trained on, and the test part of
// one split holds a few dozen clips: so the labelled tracks go to k folds (whole source tracks or albums at a time,
// stratified by label; datasets::groupFolds), the run's recipe (siameseRecipeOf) trains again on all folds but one,
// and that fold's tracks are queried in the new model's space. A space that never saw a label (mfcc, rp, a run of
// `pretrain`) is built once and queried fold by fold alike, which gives the comparison.
//
// Each query is also classified by k-NN among the other folds' tracks (macro-F1 and the rest of a classification
// report): a classifier from the space, scored like `evaluate --folds`, with the vote `library label-by-neighbours`
// labels by (one class per track; label by label where a track has several).
//
// Candidates are the fold's own tracks (none seen by its model: as `--split S --part test`, k times over), or the
// whole collection (the unseen queries meet the tracks the space was trained on: how a new track meets a labelled
// library). Fold models are kept in <run>/folds/fold-<i>; a later call with the same folds and recipe reuses them.
#include "core/datasets/SplitMaker.h"
#include "core/ml/Metrics.h"
#include "core/pipeline/FoldEvaluation.h"
#include "core/pipeline/SiameseEvaluation.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sonolab::pipeline {

enum class FoldCandidates { Fold, Collection };
FoldCandidates parseFoldCandidates(const std::string& text);  // "fold" | "collection"; throws Error otherwise

struct SpaceFoldRequest {
    std::filesystem::path library;
    SpaceEvaluationRequest evaluation;  // space, metric, relevance labels, k, exclusions, feature cache (not split/part)
    int folds = 4;
    datasets::GroupBy groupBy = datasets::GroupBy::Group;
    std::uint64_t foldSeed = 0;
    FoldCandidates candidates = FoldCandidates::Fold;
    // > 0: each query is also classified by the votes of its `knn` nearest tracks of the other folds (the labels its
    // fold's space trained on), as the 5-NN baseline on MFCC statistics; multi-label where a track has several.
    std::size_t knn = 5;
    // With knn: also score the abstaining rule of `library label-by-neighbours` (reach, min share; 0 = off): which
    // queries it would leave unlabelled, and how right the votes it keeps and the ones it drops are.
    double knnReach = 0;
    double knnMinShare = 0;
    int epochs = 0;   // > 0 overrides a trained space's epochs (e.g. a quick look)
    int threads = 0;  // > 0: training and extraction threads for a trained space's folds
};

struct SpaceFoldResult {
    std::vector<similarity::RetrievalReport> folds;  // fold i's queries
    similarity::RetrievalReport pooled;              // every query once
    std::map<std::string, Spread> summary;           // "precision_at_k", "map" (and "knn_" + the k-NN report's
                                                     // asMap() keys) over the folds
    std::vector<ml::ClassificationReport> knnFolds;  // with knn: fold i's queries classified by k-NN
    std::optional<ml::ClassificationReport> knn;     // with knn: every query once
    struct Abstention {
        std::size_t queries = 0, voted = 0;        // every query once; those the rule labels
        std::size_t rightVoted = 0, rightLeft = 0;  // correct votes among the labelled and among the left ones
        std::optional<ml::ClassificationReport> ofVoted;  // the labelled queries' report
    };
    std::optional<Abstention> knnAbstention;         // with knn and knnReach or knnMinShare
    bool retrained = false;                          // the space's recipe trained on each fold's other folds
    std::vector<bool> reused;                        // per fold, with retrained: a stored fold model was reused
    std::map<std::int64_t, int> foldOfTrack;         // each labelled track's fold (0-based)
    std::string groupBy;                             // "group" or "album"
    std::string metric;
    std::map<std::int64_t, std::string> failures;    // tracks a space could not place
};

// Throws Error (unknown space, a run trained on labels by `train`, fewer groups than folds, a fold that did not
// train) or Cancelled when progress is cancelled (between folds, or within one when onTrainer's Trainer was
// stopped). Fold models finished before a cancel are kept and reused by the next call.
SpaceFoldResult crossValidateSpace(const SpaceFoldRequest& request, FoldObserver* observer = nullptr,
                                   const Progress* progress = nullptr,
                                   const std::function<void(ml::Trainer&)>& onTrainer = {});

}  // namespace sonolab::pipeline
