#include "core/pipeline/LibraryTraining.h"

#include "core/features/FeatureCache.h"
#include "core/features/RowSummary.h"
#include "core/library/LibraryDatabase.h"
#include "core/library/TrainingSet.h"
#include "core/ml/DatasetFolder.h"
#include "core/ml/SavedModel.h"
#include "core/ml/TrainingConfigText.h"
#include "core/pipeline/MetricsJson.h"
#include "core/pipeline/RunPointRecorder.h"
#include "core/pipeline/SplitChoice.h"
#include "core/util/Error.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <mutex>
#include <set>

namespace sonolab::pipeline {

ml::Dataset datasetOfPart(const std::string& name, const TaskSpec& task, const LoadedExamples& loaded,
                          const std::string& part) {
    ml::Dataset d(name + ":" + part, task);
    for (std::size_t i = 0; i < loaded.examples.size(); ++i) {
        const auto& e = loaded.examples[i];
        if (e.split != part) continue;
        d.add({std::to_string(e.trackId), e.group.empty() ? "track" + std::to_string(e.trackId) : e.group, e.labels},
              loaded.inputs[i]);
    }
    return d;
}

Evaluation evaluateLoaded(const ml::Ensemble& models, const LoadedExamples& loaded, const std::string& part,
                          const std::string& split, ml::WindowAggregation aggregation) {
    Evaluation ev;
    ev.split = split;
    ev.part = part;
    std::vector<std::vector<float>> probs, targets;
    for (std::size_t i = 0; i < loaded.examples.size(); ++i) {
        const auto& e = loaded.examples[i];
        if (e.split != part) continue;
        auto p = models.predict(loaded.inputs[i], 0, aggregation);
        ev.predictions.push_back({e.trackId, e.path, e.labels, p.probabilities});
        probs.push_back(p.probabilities);
        targets.push_back(e.labels);
    }
    ev.report = ml::evaluate(models.info().task, probs, targets);
    return ev;
}

namespace {

std::filesystem::path cacheFor(const std::filesystem::path& requested, const std::filesystem::path& library) {
    return requested.empty() ? defaultFeatureCacheFor(library) : requested;
}

}  // namespace

std::string libraryTaskOf(const ml::SavedModelInfo& info) {
    const auto it = info.extra.find("library_task");
    return it == info.extra.end() || it->second.empty() ? info.task.toString() : it->second;
}

LibraryTrainingResult trainFromLibrary(const LibraryTrainingRequest& request, ml::TrainingObserver* observer,
                                       const Progress* progress, const std::function<void(ml::Trainer&)>& onTrainer) {
    if (request.config.runDir.empty()) throw Error("train", "no run folder given");
    library::LibraryDatabase db(request.library);
    const std::string split = chooseSplit(db, request.split);
    const library::TrainingSet set = library::loadTrainingSet(db, request.task, split);
    const TaskSpec task = set.task.withoutLabelSet();
    const ModelFeatures mf = request.features.value_or(defaultModelFeatures(request.model.architecture));
    const auto cacheDir = cacheFor(request.featureCache, request.library);

    LoadedExamples loaded = loadExampleFeatures(set.examples, mf, cacheDir, request.extractionThreads, progress);
    const std::string name = request.library.stem().string() + ":" + set.task.toString() + "@" + split;
    ml::Dataset train = datasetOfPart(name, task, loaded, "train");
    ml::Dataset validation = datasetOfPart(name, task, loaded, "validation");
    LibraryTrainingResult result;
    result.failedFiles = loaded.failures;
    result.trainExamples = train.size();
    result.validationExamples = validation.size();
    result.testExamples = std::size_t(std::count_if(loaded.examples.begin(), loaded.examples.end(),
                                                    [](const auto& e) { return e.split == "test"; }));
    if (train.empty()) throw Error(name, "the split has no training examples with readable audio");

    ml::TrainingConfig config = request.config;
    if (config.windowFrames == 0) config.windowFrames = mf.windowFrames;
    config.featureSpec = mf.specString();
    config.datasetName = name;

    nlohmann::json settings = {{"model", request.model.toString()},  {"task", set.task.toString()},
                               {"split", split},                     {"features", config.featureSpec},
                               {"window_frames", config.windowFrames}, {"epochs", config.epochs},
                               {"batch_size", config.batchSize},     {"learning_rate", config.learningRate},
                               {"optimizer", ml::toString(config.optimizer)}, {"seed", config.seed},
                               {"restore_best", config.restoreBest},
                               {"train", train.size()},              {"validation", validation.size()},
                               {"test", result.testExamples}};
    if (!config.initRun.empty()) {  // from a pretrained encoder (ContrastivePretraining.h)
        settings["init"] = std::filesystem::absolute(config.initRun).string();
        settings["freeze"] = config.freezeEncoder;
        if (config.probeEpochs > 0) {  // LP-FT
            settings["probe_epochs"] = config.probeEpochs;
            if (config.fineTuneLearningRate > 0) settings["fine_tune_learning_rate"] = config.fineTuneLearningRate;
        }
    }
    if (config.spectrogramAugmentation.any()) settings["augmentations"] = config.spectrogramAugmentation.toString();
    if (!request.settingsJson.empty()) {
        nlohmann::json caller = nlohmann::json::parse(request.settingsJson, nullptr, false);
        if (caller.is_object()) {
            caller.update(settings);
            settings = std::move(caller);
        }
    }
    // A resume that does not match its checkpoint is refused here, before the stored run's row is touched.
    RunPointRecorder recorder(observer);
    ml::Trainer trainer(request.model, config, train, validation.empty() ? nullptr : &validation, &recorder);
    if (request.resume) trainer.resumeFrom(config.runDir);

    library::RunRecord run;
    run.name = request.runName.empty() ? config.runDir.filename().string() : request.runName;
    run.task = set.task.toString();
    run.model = request.model.toString();
    run.settingsJson = settings.dump();
    run.status = "running";
    run.runDir = std::filesystem::absolute(config.runDir).string();
    // A resumed run goes on in its own row (its curves so far stay); a folder the library never saw gets a new one.
    if (request.resume)
        for (const auto& stored : db.runs())
            if (stored.runDir == run.runDir) run.id = stored.id;
    if (run.id) {
        db.updateRun(run);
    } else {
        run.id = db.addRun(run);
    }
    result.runId = run.id;

    if (onTrainer) onTrainer(trainer);
    result.training = trainer.run();
    // A stopped run continues from its last checkpoint: the batches after it are trained again on resume.
    db.appendRunPoints(result.runId, result.training.state == ml::TrainingState::Stopped ? recorder.checkpointedPoints()
                                                                                         : recorder.points());

    std::map<std::string, double> metrics = result.training.finalMetrics;
    if (result.training.state == ml::TrainingState::Finished && ml::isRunFolder(config.runDir)) {
        // Where the run's data came from, so `evaluate` and `predict` can find it again.
        ml::SavedModelInfo info = ml::readSavedModelInfo(config.runDir);
        info.extra["library"] = std::filesystem::absolute(request.library).string();
        info.extra["library_task"] = set.task.toString();
        info.extra["split"] = split;
        info.extra["feature_cache"] = std::filesystem::absolute(cacheDir).string();
        // The whole recipe, so `evaluate --folds` can train each fold as this run was trained.
        for (auto& [k, v] : ml::trainingConfigEntries(config)) info.extra[k] = v;
        ml::writeSavedModelInfo(config.runDir, info);
        if (result.testExamples > 0) {
            const auto models = ml::Ensemble::load({config.runDir});
            result.test = evaluateLoaded(models, loaded, "test", split);
            ml::updateSavedMetrics(config.runDir, result.test->report.asMap(), "test_");
            for (const auto& [k, v] : result.test->report.asMap()) metrics["test_" + k] = v;
        }
    }
    db.setRunStatus(result.runId, std::string(ml::toString(result.training.state)));
    db.setRunMetrics(result.runId, metricsJsonText(metrics));
    return result;
}

DatasetExport exportTrainingData(const LibraryTrainingRequest& request, const std::filesystem::path& dir,
                                 const Progress* progress) {
    library::LibraryDatabase db(request.library);
    const std::string split = chooseSplit(db, request.split);
    const library::TrainingSet set = library::loadTrainingSet(db, request.task, split);
    const TaskSpec task = set.task.withoutLabelSet();
    const ModelFeatures mf = request.features.value_or(defaultModelFeatures(request.model.architecture));
    LoadedExamples loaded =
        loadExampleFeatures(set.examples, mf, cacheFor(request.featureCache, request.library), request.extractionThreads, progress);
    DatasetExport result;
    result.name = request.library.stem().string() + ":" + set.task.toString() + "@" + split;
    result.failedFiles = loaded.failures;
    const ml::Dataset train = datasetOfPart(result.name, task, loaded, "train");
    const ml::Dataset validation = datasetOfPart(result.name, task, loaded, "validation");
    const ml::Dataset test = datasetOfPart(result.name, task, loaded, "test");
    result.trainExamples = train.size();
    result.validationExamples = validation.size();
    result.testExamples = test.size();
    const std::size_t window = request.config.windowFrames ? request.config.windowFrames : mf.windowFrames;
    ml::writeDatasetFolder(dir, {result.name, task, mf.specString(), window},
                           {{"train", &train}, {"validation", &validation}, {"test", &test}});
    return result;
}

Evaluation evaluateRun(const std::filesystem::path& runDir, const std::filesystem::path& libraryFile,
                       const std::string& splitName, const std::string& part,
                       const std::filesystem::path& featureCache, const Progress* progress, bool store) {
    return evaluateRuns({.runs = {runDir}, .library = libraryFile, .split = splitName, .part = part,
                         .featureCache = featureCache, .store = store},
                        progress);
}

Evaluation evaluateRuns(const EvaluationRequest& request, const Progress* progress) {
    const auto models = ml::Ensemble::load(request.runs);
    const ml::SavedModelInfo& info = models.info();
    const auto& libraryFile = request.library;
    library::LibraryDatabase db(libraryFile);
    auto extra = [&](const std::string& k) {
        auto it = info.extra.find(k);
        return it == info.extra.end() ? std::string() : it->second;
    };
    const std::string split = chooseSplit(db, request.split.empty() ? extra("split") : request.split);
    const std::string taskText = libraryTaskOf(info);
    const library::TrainingSet set = library::loadTrainingSet(db, taskText, split);
    if (set.classes != info.task.labels)
        throw fileError(libraryFile, "its classes for " + taskText + " differ from the model's (" +
                                         info.task.toString() + ")");
    const ModelFeatures mf = ModelFeatures::fromSpecString(info.featureSpec, info.input.frames);
    std::vector<library::TrainingExample> wanted;
    for (const auto& e : set.examples)
        if (e.split == request.part) wanted.push_back(e);
    if (wanted.empty()) throw fileError(libraryFile, "split '" + split + "' has no '" + request.part + "' examples");
    std::filesystem::path cache = request.featureCache;
    if (cache.empty())
        cache = extra("feature_cache").empty() ? defaultFeatureCacheFor(libraryFile) : std::filesystem::path(extra("feature_cache"));
    LoadedExamples loaded = loadExampleFeatures(wanted, mf, cache, 0, progress);
    Evaluation ev = evaluateLoaded(models, loaded, request.part, split, request.aggregation);
    if (request.store && models.size() == 1 && request.aggregation == ml::WindowAggregation::Mean)
        ml::updateSavedMetrics(request.runs.front(), ev.report.asMap(), request.part + "_");
    return ev;
}

ml::FeatureMatrix inputForFile(const ml::Predictor& predictor, const std::filesystem::path& file,
                               const std::filesystem::path& featureCache) {
    const ModelFeatures mf = ModelFeatures::fromSpecString(predictor.info().featureSpec, predictor.info().input.frames);
    const auto spec = extraction::specFor(mf.options);
    if (featureCache.empty()) return features::modelInput(extraction::computeFeatureForFile(spec, file), mf.summary);
    extraction::Extractor extractor(features::FeatureCache(featureCache), spec);
    return featuresForFile(extractor, mf, file);
}

ml::TrackPrediction predictFile(const ml::Predictor& predictor, const std::filesystem::path& file,
                                const std::filesystem::path& featureCache) {
    return predictor.predict(inputForFile(predictor, file, featureCache));
}

}  // namespace sonolab::pipeline
