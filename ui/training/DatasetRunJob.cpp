// The dashboard's run on prepared data: core/ml Trainer, then whole-track evaluation of the kept model.
#include "ui/training/TrainingData.h"

#include "core/ml/Predictor.h"
#include "core/ml/SavedModel.h"
#include "core/util/Error.h"

namespace sonolab::ui {

namespace {

// Per-clip probabilities of the saved model on one split, with what the evaluation view shows for each clip.
std::pair<Evaluation, ml::ClassificationReport> evaluateSaved(const std::filesystem::path& runDir, const ml::Dataset& set,
                                                              const QString& split,
                                                              const std::map<std::string, ClipDisplay>& clips) {
    ml::Predictor predictor = ml::Predictor::load(runDir);
    std::vector<const ml::FeatureMatrix*> inputs;
    std::vector<std::vector<float>> targets;
    for (std::size_t i = 0; i < set.size(); ++i) {
        inputs.push_back(&set.features(i));
        targets.push_back(set.info(i).target);
    }
    auto probabilities = predictor.predictMany(inputs, true);
    const TaskSpec& task = set.task();
    ml::ClassificationReport report = ml::evaluate(task, probabilities, targets);
    Evaluation evaluation;
    evaluation.kind = task.kind;
    for (const auto& l : task.outputNames()) evaluation.labels << QString::fromStdString(l);
    evaluation.split = split;
    for (std::size_t i = 0; i < set.size(); ++i) {
        EvaluatedClip clip;
        const std::string& id = set.info(i).id;
        clip.id = QString::fromStdString(id);
        auto display = clips.find(id);
        clip.title = display != clips.end() && !display->second.title.isEmpty() ? display->second.title : clip.id;
        if (display != clips.end()) clip.path = display->second.path;
        clip.probabilities = std::move(probabilities[i]);
        clip.target = std::move(targets[i]);
        evaluation.clips.push_back(std::move(clip));
    }
    return {std::move(evaluation), std::move(report)};
}

}  // namespace

RunJob datasetRunJob(DataPreparer preparer) {
    return [preparer = std::move(preparer)](const RunSettings& settings, ml::TrainingObserver& observer,
                                            const Progress& progress, const TrainerHook& onTrainer) {
        if (!preparer) throw Error("training", "no data source");
        PreparedData data = preparer(settings, progress);
        progress.throwIfCancelled();
        if (!data.train || data.train->empty()) throw Error(settings.dataSet.toStdString(), "no training examples");
        ml::Dataset* validation = data.validation && !data.validation->empty() ? data.validation.get() : nullptr;
        RunOutcome outcome;
        {
            ml::Trainer trainer(ml::ModelSpec::parse(settings.model.toStdString()), settings.config, *data.train,
                                validation, &observer);
            if (settings.resume) trainer.resumeFrom(settings.config.runDir);
            onTrainer(trainer);
            ml::TrainingResult result = trainer.run();
            outcome.state = result.state;
            outcome.message = result.message;
        }
        // A stopped run still has the model of its last completed epoch: evaluate that too.
        const ml::Dataset* evalSet = data.test && !data.test->empty() ? data.test.get() : validation;
        if (evalSet && outcome.state != ml::TrainingState::Failed && ml::isRunFolder(settings.config.runDir)) {
            auto [evaluation, report] = evaluateSaved(settings.config.runDir, *evalSet,
                                                      evalSet == data.test.get() ? "test" : "validation", data.clips);
            outcome.evaluation = std::move(evaluation);
            outcome.report = std::move(report);
        }
        return outcome;
    };
}

}  // namespace sonolab::ui
