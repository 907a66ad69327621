#pragma once
// k-fold cross-validation of a run's recipe on its library: one test figure from ~40 clips is noisy, the mean and
// spread over k folds less so. Every clip of the run's label set goes to one of k folds, whole groups (source tracks
// or albums, datasets::groupFolds) at a time; fold i is tested on a model trained on the other k-1 folds (where the
// recipe picks its model by validation, a share of their source tracks is held out for it) with the run's own model,
// features and training config (model.txt's config.* entries, ml/TrainingConfigText.h), and `seeds` members per fold
// (seeds config.seed, +1, ...) predict together (ml::Ensemble).
//
// The fold models are kept in <run>/folds/fold-<i>/seed-<s>; a later call with the same folds, grouping, recipe and
// member reuses a finished one instead of training it again (so `--aggregate max` or `--seeds 1` after `--seeds 3`
// costs only prediction).
#include "core/datasets/SplitMaker.h"
#include "core/ml/TrainingObserver.h"
#include "core/ml/WindowAggregation.h"
#include "core/pipeline/LibraryTraining.h"
#include "core/util/Progress.h"

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sonolab::pipeline {

struct FoldRequest {
    std::filesystem::path run;       // the template: model, task, features and training config
    std::filesystem::path library;
    int folds = 4;
    datasets::GroupBy groupBy = datasets::GroupBy::Group;
    int seeds = 1;
    ml::WindowAggregation aggregation = ml::WindowAggregation::Mean;
    // Of each fold's training clips (whole source tracks), held out for validation; 0 = none. Unset: the recipe's
    // need (validationShareFor): a validation part costs a small class whole recordings, so it is held out only
    // where the recipe picks an epoch by it.
    std::optional<double> validationShare;
    std::uint64_t foldSeed = 0;
    std::filesystem::path featureCache;  // empty = the run's
    int epochs = 0;                  // > 0 overrides the run's epochs (e.g. a quick look)
};

// 0.15 where the training config uses validation to pick the model (early stopping, or the best epoch kept), else 0.
// Measured on the demo's 4-style task: a linear probe held out 15% of its source tracks and kept the best epoch at
// macro-F1 0.437, kept the last epoch at 0.515, and trained on every clip at 0.740 (README).
double validationShareFor(const ml::TrainingConfig& config);

// What makes a fold's model what it is: the recipe (text that names everything it learns by) and each clip's part.
// A stored model whose model.txt has this key as extra "fold_member" is the model a call would train (isFoldMember).
std::string foldMemberKey(const std::string& recipe, const std::vector<library::TrainingExample>& examples);
bool isFoldMember(const std::filesystem::path& dir, const std::string& key);

struct Spread {
    double mean = 0, std = 0, min = 0, max = 0;  // std: sample standard deviation (n - 1), 0 for one fold
};
Spread spreadOf(const std::vector<double>& values);

struct FoldResult {
    std::vector<Evaluation> folds;                 // fold i's test evaluation
    std::vector<std::size_t> trainClips, validationClips;
    std::vector<int> trainedMembers;               // members trained now (the others were reused)
    std::map<std::string, Spread> summary;         // per metric of ClassificationReport::asMap, over the folds
    // Every clip once, predicted by the fold model that never saw it: one report over the whole label set. A fold
    // whose test part lacks a class scores that class's F1 as 0 when the model predicts it, so the mean over folds
    // sits below this where a class has fewer recordings than there are folds.
    Evaluation pooled;
    std::string groupBy;                           // "group" or "album"
};

// Called with "fold i/k, member s/n" before each member trains, then the trainer's own reports.
struct FoldObserver : ml::TrainingObserver {
    virtual void onMember(int fold, int folds, int member, int members, bool reused) = 0;
};

// Throws sonolab::Error (no such run, fewer groups than folds, a member that failed to train), or sonolab::Cancelled
// when progress is cancelled: between members, and within one when onTrainer's hook stopped its Trainer (a GUI's
// Cancel calls Trainer::requestStop). Members finished before the cancel are kept and reused by the next call.
FoldResult crossValidate(const FoldRequest& request, FoldObserver* observer = nullptr,
                         const Progress* progress = nullptr,
                         const std::function<void(ml::Trainer&)>& onTrainer = {});

}  // namespace sonolab::pipeline
