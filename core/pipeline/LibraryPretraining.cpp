#include "core/pipeline/LibraryPretraining.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/SavedModel.h"
#include "core/pipeline/MetricsJson.h"
#include "core/pipeline/RunPointRecorder.h"
#include "core/util/Error.h"

#include <nlohmann/json.hpp>

namespace sonolab::pipeline {

PretrainingOfRun pretrainingOfRun(const std::filesystem::path& runDir) {
    if (!ml::isPretrainedRun(runDir)) throw fileError(runDir, "holds no pretraining run");
    const auto extra = ml::readSavedModelInfo(runDir).extra;
    PretrainingOfRun run;
    try {
        if (const auto it = extra.find("pair_by"); it != extra.end()) run.pairBy = ml::parsePairBy(it->second);
        if (const auto it = extra.find("schedule"); it != extra.end()) run.schedule = ml::parseSchedule(it->second);
        if (const auto it = extra.find("warmup_epochs"); it != extra.end()) run.warmupEpochs = std::stoi(it->second);
        if (const auto it = extra.find("learning_rate"); it != extra.end()) run.learningRate = std::stod(it->second);
        if (const auto it = extra.find("batch_size"); it != extra.end()) run.batchSize = std::stoi(it->second);
        if (const auto it = extra.find("temperature"); it != extra.end()) run.temperature = std::stod(it->second);
        if (const auto it = extra.find("projection_dim"); it != extra.end())
            run.projectionDim = std::size_t(std::stoul(it->second));
        if (const auto it = extra.find("augmentations"); it != extra.end())
            run.augmentation = ml::SpectrogramAugmentation::parse(it->second);
    } catch (const std::exception& e) {
        throw fileError(runDir / "model.txt", std::string("has a setting that cannot be read: ") + e.what());
    }
    return run;
}

LibraryPretrainingResult pretrainOnLibrary(const LibraryPretrainingRequest& request, ml::TrainingObserver* observer,
                                           const Progress* progress,
                                           const std::function<void(ml::Pretrainer&)>& onPretrainer) {
    const auto& runDir = request.config.training.runDir;
    if (runDir.empty()) throw Error("pretrain", "no run folder given");
    if (!request.resume && std::filesystem::exists(runDir / "checkpoint.pt"))
        throw fileError(runDir, "already holds a run: resume it, or choose another folder");
    library::LibraryDatabase db(request.library);
    const ModelFeatures mf = request.features.value_or(defaultModelFeatures(request.model.architecture));
    if (mf.summary) throw Error("pretrain", "model " + request.model.architecture + " takes summary vectors, not crops");
    const auto cacheDir = request.featureCache.empty() ? defaultFeatureCacheFor(request.library) : request.featureCache;

    // Every track, labelled or not: the loader wants training examples, so each is one without labels.
    std::vector<library::TrainingExample> examples;
    for (const auto& t : db.tracks())
        examples.push_back({.trackId = t.id, .path = t.path, .contentHash = t.contentHash, .group = t.group});
    LoadedExamples loaded = loadExampleFeatures(examples, mf, cacheDir, request.extractionThreads, progress);
    LibraryPretrainingResult result;
    result.failedFiles = loaded.failures;
    result.tracks = loaded.inputs.size();
    if (result.tracks < 2)
        throw fileError(request.library, "has fewer than two tracks with readable audio: nothing to contrast");
    ml::PretrainingTracks tracks{.features = std::move(loaded.inputs), .groups = {}};
    for (const auto& e : loaded.examples) tracks.groups.push_back(e.group);

    ml::PretrainingConfig config = request.config;
    result.pairingUnits = ml::pairingUnits(result.tracks, tracks.groups, config.pairBy).size();
    if (result.pairingUnits < 2)
        throw fileError(request.library, "has fewer than two groups with readable audio: nothing to contrast when "
                                         "pairs are made by group");
    if (config.cropFrames == 0) config.cropFrames = mf.windowFrames;
    config.training.epochs = ml::resolvedEpochs(config, result.pairingUnits);
    config.training.featureSpec = mf.specString();
    config.training.datasetName = request.library.stem().string() + ": all tracks";
    std::size_t frames = 0;
    for (const auto& m : tracks.features) frames += m.frames();
    const double framesPerSecond = mf.options.sampleRate / double(std::max(1, mf.options.hop));
    result.hours = double(frames) / framesPerSecond / 3600.0;

    const auto& t = config.training;
    const nlohmann::json settings = {{"name", request.runName.empty() ? runDir.filename().string() : request.runName},
                                     {"data_set", std::filesystem::absolute(request.library).string()},
                                     {"model", request.model.toString()},
                                     {"task", kPretrainingTask},
                                     {"features", t.featureSpec},
                                     {"window_frames", config.cropFrames},
                                     {"epochs", t.epochs},
                                     {"batch_size", t.batchSize},
                                     {"steps", std::size_t(t.epochs) * std::size_t(ml::pretrainingStepsPerEpoch(
                                                                           result.pairingUnits, t.batchSize))},
                                     {"learning_rate", t.learningRate},
                                     {"schedule", ml::toString(t.schedule)},
                                     {"warmup_epochs", t.warmupEpochs},
                                     {"seed", t.seed},
                                     {"threads", t.threads},
                                     {"pretraining",
                                      {{"temperature", config.temperature},
                                       {"projection_dim", config.projectionDim},
                                       {"augmentations", config.augmentation.toString()},
                                       {"tracks", result.tracks},
                                       {"pair_by", ml::toString(config.pairBy)},
                                       {"pairing_units", result.pairingUnits},
                                       {"hours", result.hours}}}};
    // A resume that does not match its checkpoint is refused here, before the stored run's row is touched.
    RunPointRecorder recorder(observer);
    ml::Pretrainer pretrainer(request.model, config, std::move(tracks), &recorder);
    if (request.resume) pretrainer.resumeFrom(runDir);

    library::RunRecord run;
    run.name = settings["name"].get<std::string>();
    run.task = kPretrainingTask;
    run.model = request.model.toString();
    run.settingsJson = settings.dump();
    run.status = "running";
    run.runDir = std::filesystem::absolute(runDir).string();
    if (request.resume)
        for (const auto& stored : db.runs())
            if (stored.runDir == run.runDir) run.id = stored.id;
    if (run.id) db.updateRun(run);
    else run.id = db.addRun(run);
    result.runId = run.id;

    if (onPretrainer) onPretrainer(pretrainer);
    result.training = pretrainer.run();
    db.appendRunPoints(result.runId, result.training.state == ml::TrainingState::Stopped ? recorder.checkpointedPoints()
                                                                                         : recorder.points());
    std::map<std::string, double> metrics = result.training.finalMetrics;
    if (!result.training.history.empty()) metrics["train_loss"] = result.training.history.back().trainLoss;
    if (ml::isRunFolder(runDir)) {
        ml::SavedModelInfo info = ml::readSavedModelInfo(runDir);
        info.extra["library"] = std::filesystem::absolute(request.library).string();
        info.extra["feature_cache"] = std::filesystem::absolute(cacheDir).string();
        ml::writeSavedModelInfo(runDir, info);
    }
    db.setRunStatus(result.runId, std::string(ml::toString(result.training.state)));
    db.setRunMetrics(result.runId, metricsJsonText(metrics));
    return result;
}

}  // namespace sonolab::pipeline
