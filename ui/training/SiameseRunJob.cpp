// The dashboard's similarity run on the open library: core/pipeline extracts/caches features, draws pairs, trains
// the siamese network with live reports (validation precision@k each epoch), scores the held-out test tracks and
// stores the run, which the Similarity tab can then search as "run:<folder>".
#include "ui/training/TrainingData.h"

#include "core/pipeline/SiameseTraining.h"

#include <algorithm>
#include <cstdio>

namespace sonolab::ui {

RunOutcome siameseLibraryRun(const RunSettings& settings, ml::TrainingObserver& observer, const Progress& progress,
                             const TrainerHook& onTrainer, const std::filesystem::path& featureCache) {
    const SiameseSettings& m = settings.siamese;
    pipeline::SiameseTrainingRequest request;
    request.library = settings.dataSet.toStdString();
    request.task = settings.task.toStdString();
    request.split = settings.split.toStdString();
    request.model = ml::ModelSpec::parse(settings.model.toStdString());
    request.loss = m.loss.toStdString();
    if (m.loss == "triplet") request.tripletMargin = m.margin;
    else request.margin = m.margin;
    request.pairs.source = pipeline::parseSiamesePairSource(m.pairs.toStdString());
    request.pairs.perTrack = std::size_t(std::max(1, m.pairsPerTrack));
    request.pairs.identity = m.identity;
    request.pairs.classTable = m.classTable.toStdString();
    request.pairs.seed = settings.config.seed;
    request.includeMarks = m.marks;
    request.config = settings.config;
    request.featureCache = featureCache;
    request.runName = settings.name.toStdString();
    const std::string spec = settings.featureSpec.toStdString();
    if (!spec.empty()) request.features = pipeline::ModelFeatures::fromSpecString(spec, settings.config.windowFrames);
    const pipeline::SiameseTrainingResult result =
        pipeline::trainSiameseFromLibrary(request, &observer, &progress, onTrainer);

    RunOutcome outcome;
    outcome.state = result.training.state;
    outcome.message = result.training.message;
    if (result.test) {
        char text[160];
        std::snprintf(text, sizeof text, "held-out test tracks (%zu, own group left out): precision@%zu %.3f, MAP %.3f",
                      result.test->queries, result.test->k, result.test->precisionAtK, result.test->meanAveragePrecision);
        outcome.message += (outcome.message.empty() ? "" : "; ") + std::string(text);
    }
    if (!result.failedFiles.empty())
        outcome.message += (outcome.message.empty() ? "" : "; ") + std::to_string(result.failedFiles.size()) +
                           " file(s) could not be read and were left out";
    outcome.storedRunId = result.runId;
    return outcome;
}

}  // namespace sonolab::ui
