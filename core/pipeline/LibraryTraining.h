#pragma once
// Training from the library: tracks + labels + a split from the library database, features from the feature cache
// (extracted first where missing, on all cores), the model trained by the ml engine, then evaluated on the test
// part with whole-track predictions, and the run stored (a run folder + a row in the library's runs table).
#include "core/ml/Ensemble.h"
#include "core/ml/Metrics.h"
#include "core/ml/ModelSpec.h"
#include "core/ml/Predictor.h"
#include "core/ml/Trainer.h"
#include "core/ml/TrainingConfig.h"
#include "core/pipeline/ModelFeatures.h"
#include "core/util/Progress.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sonolab::pipeline {

struct LibraryTrainingRequest {
    std::filesystem::path library;     // the library database file
    std::string task;                  // "binary:speech", "single:a,b,c", "multi:t1,t2" (+ "@labelset")
    std::string split;                 // split name in the library; empty = the library's only split
    ml::ModelSpec model;
    ml::TrainingConfig config;         // config.runDir is the run folder (required)
    std::optional<ModelFeatures> features;  // default: defaultModelFeatures(model.architecture)
    std::filesystem::path featureCache;     // default: defaultFeatureCacheFor(library)
    int extractionThreads = 0;         // 0 = all cores
    std::string runName;               // for the runs table; default: the run folder's name
    bool resume = false;               // continue the run folder's checkpoint (and its runs table row, if any)
    std::string settingsJson;          // the caller's own settings (a JSON object) stored with the run; the
                                       // pipeline's keys (model, task, split, features, ...) win
};

struct ExamplePrediction {
    std::int64_t trackId = 0;
    std::string path;
    std::vector<float> target;
    std::vector<float> probabilities;
};

struct Evaluation {
    std::string split, part;
    ml::ClassificationReport report;
    std::vector<ExamplePrediction> predictions;
};

struct LibraryTrainingResult {
    ml::TrainingResult training;
    std::optional<Evaluation> test;    // when the split has a test part and training finished
    std::size_t trainExamples = 0, validationExamples = 0, testExamples = 0;
    std::vector<std::string> failedFiles;  // "path: reason" for files that could not be decoded (left out)
    std::int64_t runId = 0;            // row in the library's runs table
};

// The task a run was trained on as the library names it ("single:a,b@set", kept in model.txt by `train` and
// `train-siamese`), else the model's own task (runs trained outside a library).
std::string libraryTaskOf(const ml::SavedModelInfo& info);

// Progress reports extraction (files) before training; cancel stops extraction, and Trainer::requestStop() is
// reachable through `onTrainer` (called with the trainer before run(), e.g. to wire a GUI's stop button).
LibraryTrainingResult trainFromLibrary(const LibraryTrainingRequest& request, ml::TrainingObserver* observer = nullptr,
                                       const Progress* progress = nullptr,
                                       const std::function<void(ml::Trainer&)>& onTrainer = {});

// Writes the training set a `trainFromLibrary` with this request would use (features extracted where missing) as a
// dataset folder (core/ml/DatasetFolder.h), for `train --data` on a machine with libtorch alone.
struct DatasetExport {
    std::string name;
    std::size_t trainExamples = 0, validationExamples = 0, testExamples = 0;
    std::vector<std::string> failedFiles;
};
DatasetExport exportTrainingData(const LibraryTrainingRequest& request, const std::filesystem::path& dir,
                                 const Progress* progress = nullptr);

// Evaluates a saved run on a part ("test", "validation", "train") of a split of the library (default: the split it
// was trained with) with whole-track sliding-window predictions. Stores the metrics in the run folder (prefixed
// with the part, e.g. test_accuracy) when `store`.
Evaluation evaluateRun(const std::filesystem::path& runDir, const std::filesystem::path& library,
                       const std::string& split = {}, const std::string& part = "test",
                       const std::filesystem::path& featureCache = {}, const Progress* progress = nullptr,
                       bool store = true);

// The same for several runs of one task predicting together (ml::Ensemble: their probabilities averaged), each clip's
// windows aggregated as `aggregation` says. The split, task and cache are the first run's unless given. The metrics
// are stored in the run folder only for one run aggregated by the mean (the figure `train` stores).
struct EvaluationRequest {
    std::vector<std::filesystem::path> runs;
    std::filesystem::path library;
    std::string split;                 // empty = the first run's
    std::string part = "test";
    std::filesystem::path featureCache;  // empty = the first run's
    ml::WindowAggregation aggregation = ml::WindowAggregation::Mean;
    bool store = true;
};
Evaluation evaluateRuns(const EvaluationRequest& request, const Progress* progress = nullptr);

// Examples of one part ("train", "validation", "test") of loaded examples as a data set (group: the example's, or
// its own track). For jobs that train on a library's examples in other ways (FoldEvaluation.h).
ml::Dataset datasetOfPart(const std::string& name, const TaskSpec& task, const LoadedExamples& loaded,
                          const std::string& part);
// Predicts the examples of `part` and scores them against their labels.
Evaluation evaluateLoaded(const ml::Ensemble& models, const LoadedExamples& loaded, const std::string& part,
                          const std::string& split, ml::WindowAggregation aggregation = ml::WindowAggregation::Mean);

// Predicts one audio file with a loaded run (features computed as at training, cached in featureCache when given).
ml::TrackPrediction predictFile(const ml::Predictor& predictor, const std::filesystem::path& file,
                                const std::filesystem::path& featureCache = {});
// The model's input for a file (for embed() and display).
ml::FeatureMatrix inputForFile(const ml::Predictor& predictor, const std::filesystem::path& file,
                               const std::filesystem::path& featureCache = {});

}  // namespace sonolab::pipeline
