// The dashboard's "Pretrain on the library…" (PretrainDialog.h): core/pipeline's contrastive pretraining on every track of the open
// library, with live reports through the run's observer; the run is stored by the pipeline (runs table + folder) and
// becomes a similarity space and a starting point for classifiers (the run form's "Start from").
#include "ui/training/TrainingData.h"

#include "core/ml/ContrastivePretraining.h"
#include "core/pipeline/LibraryPretraining.h"

#include <cstdio>

namespace sonolab::ui {
namespace {

// The job's Stop cancels its token; the pretrainer is no ml::Trainer the job can reach, so the observer asks it to
// stop at the next batch (it keeps the last epoch's checkpoint and model, as a stopped training run does).
struct StopOnCancel : ml::TrainingObserver {
    ml::TrainingObserver& next;
    const Progress& progress;
    ml::Pretrainer* pretrainer = nullptr;
    StopOnCancel(ml::TrainingObserver& n, const Progress& p) : next(n), progress(p) {}
    void onBatch(const ml::BatchReport& r) override {
        if (pretrainer && progress.cancelled()) pretrainer->requestStop();
        next.onBatch(r);
    }
    void onEpoch(const ml::EpochReport& r) override { next.onEpoch(r); }
    void onStateChanged(ml::TrainingState s, const std::string& message) override { next.onStateChanged(s, message); }
};

}  // namespace

RunOutcome pretrainLibraryRun(const RunSettings& settings, ml::TrainingObserver& observer, const Progress& progress,
                              const std::filesystem::path& featureCache) {
    pipeline::LibraryPretrainingRequest request;
    request.library = settings.dataSet.toStdString();
    request.model = ml::ModelSpec::parse(settings.model.toStdString());
    request.config = settings.pretrainingConfig();
    request.featureCache = featureCache;
    request.runName = settings.name.toStdString();
    request.resume = settings.resume;
    if (request.resume && ml::isPretrainedRun(settings.config.runDir))
        pipeline::pretrainingOfRun(settings.config.runDir).applyTo(request.config);  // goes on as it started
    const std::string spec = settings.featureSpec.toStdString();
    if (!spec.empty()) request.features = pipeline::ModelFeatures::fromSpecString(spec, settings.config.windowFrames);
    StopOnCancel relay(observer, progress);
    const auto result = pipeline::pretrainOnLibrary(request, &relay, &progress,
                                                    [&](ml::Pretrainer& p) { relay.pretrainer = &p; });
    RunOutcome outcome;
    outcome.state = result.training.state;
    outcome.message = result.training.message;
    char text[160];
    std::snprintf(text, sizeof text, "%zu tracks (%.2f h of audio); search it in the Similarity tab or start a "
                                     "classifier from it", result.tracks, result.hours);
    outcome.message += (outcome.message.empty() ? "" : "; ") + std::string(text);
    const std::string advice =
        ml::fewStepsAdvice(result.training.epochsCompleted, request.config.training.batchSize, result.pairingUnits,
                           result.tracks);
    if (result.training.state == ml::TrainingState::Finished && !advice.empty()) outcome.message += "; " + advice;
    if (!result.failedFiles.empty())
        outcome.message += "; " + std::to_string(result.failedFiles.size()) + " file(s) could not be read and were left out";
    outcome.storedRunId = result.runId;
    return outcome;
}

}  // namespace sonolab::ui
