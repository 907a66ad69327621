#pragma once
// Where a dashboard run gets its examples: a preparer runs on the training worker thread (it may extract features,
// read the feature cache, ...) and returns the splits as core/ml datasets plus what the evaluation view needs to
// show and play each example. The library-backed preparer is one implementation; tests pass generated data.
#include "core/ml/Dataset.h"
#include "core/ml/Metrics.h"
#include "core/ml/Trainer.h"
#include "core/util/Progress.h"
#include "ui/training/Evaluation.h"
#include "ui/training/RunSettings.h"

#include <QString>

#include <filesystem>

#include <functional>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sonolab::pipeline {
struct ExamplePrediction;
struct LibraryTrainingRequest;
}

namespace sonolab::ui {

struct ClipDisplay {
    QString title;
    QString path;  // audio file; empty when there is nothing to play
};

struct PreparedData {
    std::shared_ptr<ml::Dataset> train;
    std::shared_ptr<ml::Dataset> validation;  // may be null
    std::shared_ptr<ml::Dataset> test;        // may be null: then the evaluation uses validation
    std::map<std::string, ClipDisplay> clips;  // by ExampleInfo::id
};

// Throws sonolab::Error with a message for the user when the data cannot be prepared; polls progress.cancel.
using DataPreparer = std::function<PreparedData(const RunSettings& settings, const Progress& progress)>;

// What one dashboard run does on the worker thread, start to end. It must call onTrainer with its Trainer before
// Trainer::run() (that is how pause/stop reach it) and report through the observer it is given.
struct RunOutcome {
    ml::TrainingState state = ml::TrainingState::Failed;
    std::string message;
    std::optional<Evaluation> evaluation;
    ml::ClassificationReport report;
    std::int64_t storedRunId = 0;  // > 0 when the job stored the run in the library itself
};
using TrainerHook = std::function<void(ml::Trainer&)>;
using RunJob = std::function<RunOutcome(const RunSettings& settings, ml::TrainingObserver& observer,
                                        const Progress& progress, const TrainerHook& onTrainer)>;

// Prepares the data with `preparer`, trains with core/ml's Trainer, then evaluates the kept model on the test split
// (else validation) with whole-track predictions.
RunJob datasetRunJob(DataPreparer preparer);
// Trains from settings.dataSet (a library file) with core/pipeline's trainFromLibrary: features extracted/cached,
// the run stored in the library's runs table by the pipeline, evaluated on the split's test part.
RunJob libraryRunJob(std::filesystem::path featureCache = {});
// The similarity task (settings.siamese.enabled): core/pipeline's trainSiameseFromLibrary on settings.dataSet. The
// outcome's message carries the held-out test precision@10 and MAP; there is no classifier evaluation.
// Self-supervised pretraining (settings.pretrain): core/pipeline's pretrainOnLibrary on every track of
// settings.dataSet, stopped through the job's cancel token (the run keeps its last epoch). No classifier evaluation.
RunOutcome pretrainLibraryRun(const RunSettings& settings, ml::TrainingObserver& observer, const Progress& progress,
                              const std::filesystem::path& featureCache = {});
// What core/pipeline's trainFromLibrary is asked for these settings (library, task, split, model, config, features),
// as the Training tab's runs are; settingsJson is left for the caller.
pipeline::LibraryTrainingRequest libraryTrainingRequest(const RunSettings& settings,
                                                        const std::filesystem::path& featureCache = {});
// The evaluation view's form of the pipeline's predictions of a task's clips (title: the file name).
Evaluation evaluationOfPredictions(const TaskSpec& task, const std::vector<pipeline::ExamplePrediction>& predictions,
                                   const QString& split);
RunOutcome siameseLibraryRun(const RunSettings& settings, ml::TrainingObserver& observer, const Progress& progress,
                             const TrainerHook& onTrainer, const std::filesystem::path& featureCache = {});

}  // namespace sonolab::ui
