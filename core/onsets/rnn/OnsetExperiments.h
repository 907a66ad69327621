#pragma once
// Whole-data-set onset experiments, as the tutorial's part 3: the flux detector evaluated over every file, and
// the recurrent detector trained and tested by k-fold cross-validation (test fold k, validation fold k+1, the
// rest for training), its per-file scores pooled over all test folds; plus training one model for use.
// Scores: per file, summed and averaged over files (OnsetScoreSummary), per fold.
#include "core/ml/OnsetRnnModel.h"
#include "core/ml/OnsetSequenceTrainer.h"
#include "core/ml/TrainingObserver.h"
#include "core/onsets/OnsetDataset.h"
#include "core/onsets/rnn/OnsetDetector.h"
#include "core/onsets/OnsetEvaluation.h"
#include "core/onsets/PeakPickingTuning.h"
#include "core/util/Progress.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace sonolab::onsets {

struct OnsetExperimentResult {
    std::string method;
    std::vector<std::size_t> fileItem;         // the data set index (data.items) of each entry of files
    std::vector<FileScore> files;              // data set order within folds
    std::vector<std::size_t> fileFold;         // the test fold of each entry of files
    OnsetScoreSummary summary;                 // over all files
    std::vector<OnsetScoreSummary> folds;      // per test fold
    std::vector<ml::OnsetTrainingResult> training;  // recurrent: one per fold
    bool stopped = false;  // recurrent: the user stopped it; the folds trained so far (the last one partly) are scored
};

// The flux detector (or a trained model with OnsetMethod rnn:RUN) over every file of the data set, or only over
// the files of `onlyFolds` when it is not empty (result.folds still has one entry per fold of the data set).
OnsetExperimentResult evaluateMethod(const OnsetDataset& data, const OnsetMethod& method,
                                     const OnsetDetectorParams& detector = {}, const OnsetEvaluationParams& evaluation = {},
                                     const std::filesystem::path& featureCache = {}, const Progress* progress = nullptr,
                                     const std::vector<std::size_t>& onlyFolds = {});

struct RnnExperimentConfig {
    ml::OnsetRnnConfig model;
    ml::OnsetTrainingConfig training;  // runDir is ignored: each fold's run goes to runsDir/fold-K
    OnsetDetectorParams detector;
    OnsetEvaluationParams evaluation;
    std::filesystem::path featureCache;  // .npy per file; empty = recompute
    std::filesystem::path runsDir;       // empty = nothing written
    std::size_t maxFolds = 0;            // evaluate only the first N test folds (0 = all)
    std::vector<std::size_t> testFolds;  // when not empty: exactly these test folds (maxFolds is then ignored)
    bool validationFmeasure = true;      // report the validation fold's F-measure after every epoch
    // Choose peak picking (threshold, smoothing) on the validation fold: after every epoch the reported F is the
    // best over peakGrid's thresholds (so the kept epoch is the best at its best threshold), and after training
    // the chosen threshold and smoothing score the test fold and go to the run folder (onset-peaks.txt).
    // false: the detector's fixed peak picking throughout.
    bool tunePeakPicking = true;
    PeakTuningGrid peakGrid;
    // Called when a fold starts (fold, folds): the CLI prints it, the GUI starts a new curve.
    std::function<void(std::size_t, std::size_t)> onFold;
    // Called after a fold's model is trained and its test files scored (fold, its run folder or empty).
    std::function<void(std::size_t, const std::filesystem::path&)> onFoldDone;
};

OnsetExperimentResult crossValidateRnn(const OnsetDataset& data, const RnnExperimentConfig& config,
                                       ml::TrainingObserver* observer = nullptr, const Progress* progress = nullptr);

// One model trained on every fold but `validationFold` (used for early stopping), saved to runDir when given.
// With config.tunePeakPicking and a validation fold, the peak picking chosen on it goes to runDir/onset-peaks.txt
// and to *tuned when given (otherwise *tuned is left as it is).
ml::OnsetTrainingResult trainRnnOnDataset(const OnsetDataset& data, std::size_t validationFold,
                                          const RnnExperimentConfig& config, ml::OnsetRnnModel& model,
                                          const std::filesystem::path& runDir, ml::TrainingObserver* observer = nullptr,
                                          const Progress* progress = nullptr, TunedPeakPicking* tuned = nullptr);

// Detections made elsewhere (DIR/NAME.onsets per file, e.g. another program's), scored like evaluateMethod(); a file
// without detections scores as none detected. Only `onlyFolds` when not empty.
OnsetExperimentResult evaluateDetections(const OnsetDataset& data, const std::filesystem::path& dir,
                                         const OnsetEvaluationParams& evaluation = {},
                                         const std::vector<std::size_t>& onlyFolds = {});

}  // namespace sonolab::onsets
