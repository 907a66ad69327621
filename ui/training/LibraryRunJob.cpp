// The dashboard's run on the open library: core/pipeline extracts/caches features, trains, evaluates on the test
// part and stores the run (folder + runs table row); this adapts its evaluation for the evaluation view.
#include "ui/training/TrainingData.h"

#include "core/pipeline/LibraryTraining.h"

#include <QFileInfo>
#include <QJsonDocument>

namespace sonolab::ui {

Evaluation evaluationOfPredictions(const TaskSpec& task, const std::vector<pipeline::ExamplePrediction>& predictions,
                                   const QString& split) {
    Evaluation e;
    e.kind = task.kind;
    for (const auto& l : task.outputNames()) e.labels << QString::fromStdString(l);
    e.split = split;
    for (const auto& p : predictions) {
        EvaluatedClip c;
        c.id = QString::number(p.trackId);
        c.path = QString::fromStdString(p.path);
        c.title = QFileInfo(c.path).fileName();
        c.probabilities = p.probabilities;
        c.target = p.target;
        e.clips.push_back(std::move(c));
    }
    return e;
}

pipeline::LibraryTrainingRequest libraryTrainingRequest(const RunSettings& settings,
                                                        const std::filesystem::path& featureCache) {
    pipeline::LibraryTrainingRequest request;
    request.library = settings.dataSet.toStdString();
    request.task = settings.task.toStdString();
    request.split = settings.split.toStdString();
    request.model = ml::ModelSpec::parse(settings.model.toStdString());
    request.config = settings.config;
    request.featureCache = featureCache;
    request.runName = settings.name.toStdString();
    request.resume = settings.resume;
    const std::string spec = settings.featureSpec.toStdString();
    // Empty = the pipeline's default for the architecture (the tutorial's settings).
    if (!spec.empty()) request.features = pipeline::ModelFeatures::fromSpecString(spec, settings.config.windowFrames);
    return request;
}

RunJob libraryRunJob(std::filesystem::path featureCache) {
    return [featureCache](const RunSettings& settings, ml::TrainingObserver& observer, const Progress& progress,
                          const TrainerHook& onTrainer) {
        if (settings.siamese.enabled) return siameseLibraryRun(settings, observer, progress, onTrainer, featureCache);
        if (settings.pretrain) return pretrainLibraryRun(settings, observer, progress, featureCache);
        pipeline::LibraryTrainingRequest request = libraryTrainingRequest(settings, featureCache);
        // The whole form goes with the run, so Reopen and Resume find every setting again.
        request.settingsJson = QJsonDocument(settings.toJson()).toJson(QJsonDocument::Compact).toStdString();
        pipeline::LibraryTrainingResult result = pipeline::trainFromLibrary(request, &observer, &progress, onTrainer);

        RunOutcome outcome;
        outcome.state = result.training.state;
        outcome.message = result.training.message;
        if (!result.failedFiles.empty())
            outcome.message += (outcome.message.empty() ? "" : "; ") + std::to_string(result.failedFiles.size()) +
                               " file(s) could not be read and were left out";
        outcome.storedRunId = result.runId;
        if (result.test) {
            const TaskSpec task = TaskSpec::parse(settings.task.section('@', 0, 0).toStdString());
            outcome.evaluation = evaluationOfPredictions(task, result.test->predictions,
                                                         QString::fromStdString(result.test->part));
            outcome.report = result.test->report;
        }
        return outcome;
    };
}

}  // namespace sonolab::ui
