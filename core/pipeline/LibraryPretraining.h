#pragma once
// Self-supervised pretraining on the library (issue 16): every track of the library, labelled or not, as its whole
// feature matrix from the feature cache (extracted first where missing), trained by ml::Pretrainer
// (ContrastivePretraining.h), and stored like a training run: a run folder + a row in the library's runs table
// (task "pretrain:contrastive") with its curves, so the dashboard shows it, the similarity views offer it as
// "run:<folder>", and `train --init <folder>` starts classifiers from it.
//
//   pipeline::LibraryPretrainingRequest r;
//   r.library = "lib.sqlite"; r.config.training.runDir = "runs/ssl"; r.config.training.epochs = 30;
//   auto result = pipeline::pretrainOnLibrary(r, &observer);
#include "core/ml/ContrastivePretraining.h"
#include "core/ml/ModelSpec.h"
#include "core/pipeline/ModelFeatures.h"
#include "core/util/Progress.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sonolab::pipeline {

// The runs table's task of a pretraining run: how lists tell it from classifier and siamese runs.
inline constexpr const char* kPretrainingTask = "pretrain:contrastive";

struct LibraryPretrainingRequest {
    std::filesystem::path library;
    ml::ModelSpec model = ml::ModelSpec::parse("compact_cnn");
    ml::PretrainingConfig config;           // config.training.runDir is the run folder (required)
    std::optional<ModelFeatures> features;  // default: defaultModelFeatures(model.architecture)
    std::filesystem::path featureCache;     // default: defaultFeatureCacheFor(library)
    int extractionThreads = 0;
    std::string runName;                    // default: the run folder's name
    bool resume = false;                    // continue the run folder's checkpoint (and its runs-table row)
};

// How the pretraining run in runDir was set up, from its model.txt, so that a resume without another choice goes on as
// the run started: the pairing, the schedule, and the rate, batch, temperature, projection and augmentations (which
// model.txt has held from the first pretraining runs; where one is missing, the request's own stays). Runs from before
// pairs by group and schedules ran by track at a constant rate. Throws Error naming the folder when it holds no
// pretraining run.
struct PretrainingOfRun {
    ml::PairBy pairBy = ml::PairBy::Track;                   // pair_by (before pairs could be made by group: track)
    ml::ScheduleKind schedule = ml::ScheduleKind::Constant;  // schedule (before pretraining had schedules: constant)
    int warmupEpochs = 0;                                    // warmup_epochs
    std::optional<double> learningRate;                      // learning_rate
    std::optional<int> batchSize;                            // batch_size
    std::optional<double> temperature;                       // temperature
    std::optional<std::size_t> projectionDim;                // projection_dim
    std::optional<ml::SpectrogramAugmentation> augmentation;  // augmentations

    void applyTo(ml::PretrainingConfig& config) const {
        config.pairBy = pairBy;
        config.training.schedule = schedule;
        config.training.warmupEpochs = warmupEpochs;
        if (learningRate) config.training.learningRate = *learningRate;
        if (batchSize) config.training.batchSize = *batchSize;
        if (temperature) config.temperature = *temperature;
        if (projectionDim) config.projectionDim = *projectionDim;
        if (augmentation) config.augmentation = *augmentation;
    }
};
PretrainingOfRun pretrainingOfRun(const std::filesystem::path& runDir);

struct LibraryPretrainingResult {
    ml::TrainingResult training;
    std::size_t tracks = 0;
    std::size_t pairingUnits = 0;           // what an epoch goes through: tracks, or groups with PairBy::Group
    double hours = 0;                       // audio the encoder saw crops of, in hours of features
    std::vector<std::string> failedFiles;   // "path: reason"
    std::int64_t runId = 0;
};

// Progress covers feature extraction; cancel stops it. `onPretrainer` gets the Pretrainer before run() (stop/pause).
LibraryPretrainingResult pretrainOnLibrary(const LibraryPretrainingRequest& request,
                                           ml::TrainingObserver* observer = nullptr, const Progress* progress = nullptr,
                                           const std::function<void(ml::Pretrainer&)>& onPretrainer = {});

}  // namespace sonolab::pipeline
