#include "core/pipeline/SiameseTraining.h"

#include "core/features/FeatureCache.h"
#include "core/features/Patches.h"
#include "core/library/LibraryDatabase.h"
#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/Predictor.h"
#include "core/ml/SavedModel.h"
#include "core/ml/TrainingConfigText.h"
#include "core/ml/Siamese.h"
#include "core/pipeline/MetricsJson.h"
#include "core/pipeline/RunPointRecorder.h"
#include "core/similarity/EmbeddingMatrix.h"
#include "core/pipeline/SplitChoice.h"
#include "core/util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace sonolab::pipeline {
namespace {

// One part of the split with each example's model input; unreadable files are named in `failures`.
struct LoadedPart {
    std::vector<library::TrainingExample> examples;
    std::vector<ml::FeatureMatrix> inputs;
};

// Each part's examples with their model inputs (one centre window per track, or the whole clip with `wholeClips`);
// files that cannot be read, or (pairs) that are shorter than the window, are named in `failures`.
std::map<std::string, LoadedPart> loadParts(const std::vector<library::TrainingExample>& examples,
                                            const ModelFeatures& mf, bool wholeClips,
                                            const std::filesystem::path& cacheDir, int threads,
                                            const Progress* progress, std::vector<std::string>& failures) {
    LoadedExamples loaded = loadExampleFeatures(examples, mf, cacheDir, threads, progress);
    failures.insert(failures.end(), loaded.failures.begin(), loaded.failures.end());
    std::map<std::string, LoadedPart> parts;
    for (std::size_t i = 0; i < loaded.examples.size(); ++i) {
        const auto& e = loaded.examples[i];
        // Pairs of CNN items are one centre window per track (pairs of whole tracks would not share a shape); single
        // items (triplet) stay whole clips: the trainer draws a window of each per epoch, and the space embeds whole
        // clips as `run:DIR` does. Vectors stay whole.
        // A clip shorter than the window is padded, as a classifier's training pads it.
        ml::FeatureMatrix m = std::move(loaded.inputs[i]);
        if (mf.windowFrames > 0 && (wholeClips ? m.frames() < mf.windowFrames : m.frames() > mf.windowFrames))
            m = features::centreWindow(m, mf.windowFrames);
        if (mf.windowFrames > 0 && m.frames() < mf.windowFrames) {
            failures.push_back(e.path + ": shorter than the model's " + std::to_string(mf.windowFrames) + " frames");
            continue;
        }
        auto& part = parts[e.split];
        part.examples.push_back(e);
        part.inputs.push_back(std::move(m));
    }
    return parts;
}

// Relevance for retrieval metrics: labels share the class, tags share a tag.
std::vector<std::vector<std::string>> relevanceLabels(const library::TrainingSet& set,
                                                      const std::vector<library::TrainingExample>& examples) {
    std::vector<std::vector<std::string>> out(examples.size());
    if (set.task.kind != TaskKind::MultiLabel) {
        const auto classes = classOfEachExample(set, examples);
        for (std::size_t i = 0; i < examples.size(); ++i) out[i] = {classes[i]};
        return out;
    }
    for (std::size_t i = 0; i < examples.size(); ++i)
        for (std::size_t c = 0; c < set.classes.size() && c < examples[i].labels.size(); ++c)
            if (examples[i].labels[c] > 0.5f) out[i].push_back(set.classes[c]);
    return out;
}

std::vector<std::string> groupsOf(const std::vector<library::TrainingExample>& examples) {
    std::vector<std::string> out;
    for (const auto& e : examples) out.push_back(e.group.empty() ? "track:" + std::to_string(e.trackId) : "group:" + e.group);
    return out;
}

// The part's tracks in the run's current embedding, ranked among themselves.
similarity::RetrievalReport retrievalOnPart(const ml::Predictor& predictor, const library::TrainingSet& set,
                                            const LoadedPart& part, std::size_t k) {
    similarity::EmbeddingMatrix space(predictor.info().embeddingSize);
    for (std::size_t i = 0; i < part.inputs.size(); ++i)
        space.append(part.examples[i].trackId, ml::siameseEmbed(predictor, part.inputs[i]));
    return similarity::evaluateRetrieval(space, relevanceLabels(set, part.examples), groupsOf(part.examples), {.k = k});
}

std::vector<ml::ItemPair> toItemPairs(const std::vector<similarity::TrainingPair>& pairs) {
    std::vector<ml::ItemPair> out;
    out.reserve(pairs.size());
    for (const auto& p : pairs) out.push_back({p.a, p.b, p.target});
    return out;
}

// Item-mode dataset for the triplet loss: each track once, with its class one-hot.
ml::Dataset itemDataset(const std::string& name, const std::vector<std::string>& classNames, const LoadedPart& part,
                        const std::vector<std::string>& classOfRow) {
    TaskSpec task;
    task.kind = TaskKind::SingleLabel;
    task.labels = classNames;
    ml::Dataset d(name, task);
    for (std::size_t i = 0; i < part.inputs.size(); ++i) {
        std::vector<float> target(classNames.size(), 0.0f);
        const auto c = std::find(classNames.begin(), classNames.end(), classOfRow[i]) - classNames.begin();
        target[std::size_t(c)] = 1.0f;
        const auto& e = part.examples[i];
        d.add({std::to_string(e.trackId), e.group, std::move(target)}, part.inputs[i]);
    }
    return d;
}

// Forwards reports, adds the embedding's retrieval metrics on the validation tracks to each epoch, and keeps every
// point for the runs table.
struct SiameseObserver : RunPointRecorder {
    using RunPointRecorder::RunPointRecorder;
    std::filesystem::path runDir;
    const library::TrainingSet* set = nullptr;
    const LoadedPart* validation = nullptr;
    std::size_t k = 5;
    std::string metricError;

    void onEpoch(const ml::EpochReport& original) override {
        ml::EpochReport r = original;
        if (validation && validation->inputs.size() >= 2) {
            try {
                // The trainer has just written this epoch's model (restoreBest is off for siamese runs).
                const auto predictor = ml::Predictor::load(runDir);
                const auto report = retrievalOnPart(predictor, *set, *validation, k);
                if (report.queries > 0) {
                    r.metrics["precision_at_" + std::to_string(k)] = report.precisionAtK;
                    r.metrics["map"] = report.meanAveragePrecision;
                }
            } catch (const std::exception& e) {
                metricError = e.what();  // the curves go on without the metric; the reason is reported at the end
            }
        }
        RunPointRecorder::onEpoch(r);
    }
};

}  // namespace

std::string_view toString(SiamesePairSource source) {
    switch (source) {
        case SiamesePairSource::Labels: return "labels";
        case SiamesePairSource::ClassTable: return "table";
        case SiamesePairSource::Tags: return "tags";
    }
    return "labels";
}

SiamesePairSource parseSiamesePairSource(std::string_view text) {
    if (text == "labels") return SiamesePairSource::Labels;
    if (text == "table") return SiamesePairSource::ClassTable;
    if (text == "tags") return SiamesePairSource::Tags;
    throw Error("siamese pairs", "unknown pair source '" + std::string(text) + "' (labels, table or tags)");
}

std::string_view tagWeightingName(similarity::TagWeighting weighting) {
    switch (weighting) {
        case similarity::TagWeighting::None: return "none";
        case similarity::TagWeighting::TutorialIdf: return "tutorial";
        case similarity::TagWeighting::Idf: return "idf";
    }
    return "tutorial";
}

similarity::TagWeighting parseTagWeighting(std::string_view text) {
    if (text == "none") return similarity::TagWeighting::None;
    if (text == "idf") return similarity::TagWeighting::Idf;
    if (text == "tutorial") return similarity::TagWeighting::TutorialIdf;
    throw Error("--tag-weighting", "unknown weighting '" + std::string(text) + "' (tutorial, idf or none)");
}

std::vector<std::string> classOfEachExample(const library::TrainingSet& set,
                                            const std::vector<library::TrainingExample>& examples) {
    if (set.task.kind == TaskKind::MultiLabel)
        throw Error("siamese pairs", "task " + set.task.toString() + " gives a track several tags: pairs from labels "
                                     "need one class per track (a single: task), or use tag-similarity pairs");
    std::vector<std::string> out;
    for (const auto& e : examples) {
        if (set.task.kind == TaskKind::Binary) {
            const std::string& c = set.classes.front();
            out.push_back(!e.labels.empty() && e.labels[0] > 0.5f ? c : "not " + c);
        } else {
            const auto best = std::max_element(e.labels.begin(), e.labels.end()) - e.labels.begin();
            out.push_back(set.classes[std::size_t(best)]);
        }
    }
    return out;
}

std::vector<similarity::TrainingPair> siamesePairs(const library::TrainingSet& set,
                                                   const std::vector<library::TrainingExample>& examples,
                                                   const SiamesePairOptions& o) {
    const similarity::PairParams params{.perItem = o.perTrack, .identity = o.identity, .seed = o.seed};
    switch (o.source) {
        case SiamesePairSource::Labels:
            return similarity::pairsFromLabels(classOfEachExample(set, examples), params);
        case SiamesePairSource::ClassTable: {
            if (o.classTable.empty()) throw Error("siamese pairs", "class-similarity pairs need a table file");
            const auto table = similarity::ClassSimilarityTable::readCsv(o.classTable);
            return similarity::pairsFromClassSimilarity(classOfEachExample(set, examples), table, params, o.offset);
        }
        case SiamesePairSource::Tags: {
            if (set.task.kind != TaskKind::MultiLabel || set.classes.size() < 2)
                throw Error("siamese pairs", "tag-similarity pairs need a multi: task with at least two tags, not " +
                                                 set.task.toString());
            const std::size_t n = examples.size(), t = set.classes.size();
            std::vector<float> tags(n * t, 0.0f);
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t c = 0; c < t && c < examples[i].labels.size(); ++c)
                    tags[i * t + c] = examples[i].labels[c] > 0.5f ? 1.0f : 0.0f;
            const auto sim = similarity::tagSimilarityMatrix(tags, n, t, o.tagWeighting);
            auto pairs = similarity::pairsFromSimilarityMatrix(sim, n, params, o.tagCandidates);
            for (auto& p : pairs)
                if (p.a != p.b) p.target = std::clamp(p.target + o.offset, 0.0f, 1.0f);
            return pairs;
        }
    }
    return {};
}

bool learnsSpaceThroughEncoder(const ml::ArchitectureInfo& architecture) {
    return architecture.isPretrainableEncoder();
}

int defaultSiameseEpochs(const ml::ModelSpec& model) {
    return ml::hasArchitecture(model.architecture) && learnsSpaceThroughEncoder(ml::architectureInfo(model.architecture))
               ? 60
               : 20;
}

double defaultSiameseLearningRate(const ml::ModelSpec& model, bool fromPretrainedEncoder) {
    const bool encoder =
        ml::hasArchitecture(model.architecture) && learnsSpaceThroughEncoder(ml::architectureInfo(model.architecture));
    return encoder && fromPretrainedEncoder ? 3e-4 : 1e-3;
}

SiameseTrainingResult trainSiameseFromLibrary(const SiameseTrainingRequest& request, ml::TrainingObserver* observer,
                                              const Progress* progress,
                                              const std::function<void(ml::Trainer&)>& onTrainer) {
    if (request.config.runDir.empty()) throw Error("train-siamese", "no run folder given");
    const std::string& arch = request.model.architecture;
    const ml::ArchitectureInfo& architecture = ml::architectureInfo(arch);  // throws for an unknown name
    // A classifier CNN learns a space through its encoder (embed()), e.g. one pretrained on the library.
    const bool encoder = learnsSpaceThroughEncoder(architecture);
    if (architecture.kind != ml::ArchitectureKind::Siamese && !encoder)
        throw Error("train-siamese", "model " + arch + " is neither a siamese network (siamese_dense, siamese_cnn) nor "
                                     "a spectrogram classifier whose encoder can learn a space (e.g. compact_cnn)");
    const std::string loss = !request.loss.empty() ? request.loss : encoder ? "triplet" : "contrastive";
    const bool triplet = loss == "triplet";
    if (!triplet && loss != "contrastive")
        throw Error("train-siamese", "unknown loss '" + loss + "' (contrastive or triplet)");
    if (encoder && !triplet)
        throw Error("train-siamese", "model " + arch + " embeds single tracks: train its encoder with --loss triplet");
    if (request.config.freezeEncoder)
        throw Error("train-siamese", "a frozen encoder leaves nothing to train in its embedding: leave out --freeze");
    if (!request.config.initRun.empty() && !encoder)
        throw Error("train-siamese", "--init starts a classifier architecture's encoder from a run (e.g. compact_cnn "
                                     "pretrained by `pretrain`), and " + arch + " is a siamese network");
    if (triplet && request.pairs.source != SiamesePairSource::Labels)
        throw Error("train-siamese", "the triplet loss mines positives and negatives by class: it trains on labels, "
                                     "not on " + std::string(toString(request.pairs.source)) + " pairs");

    library::LibraryDatabase db(request.library);
    const bool folds = !request.parts.empty();
    const std::string split = folds ? std::string("folds") : chooseSplit(db, request.split);
    library::TrainingSet set = library::loadTrainingSet(db, request.task, folds ? "" : split);
    if (folds) {
        std::erase_if(set.examples, [&](const auto& e) { return !request.parts.count(e.trackId); });
        for (auto& e : set.examples) e.split = request.parts.at(e.trackId);
    }
    if (request.pairs.source == SiamesePairSource::Tags && set.task.kind != TaskKind::MultiLabel)
        throw Error("train-siamese", "tag-similarity pairs need a multi: task (the tags), not " + set.task.toString());
    if (request.pairs.source != SiamesePairSource::Tags) (void)classOfEachExample(set, {});  // refuses multi: early

    const bool vectors = architecture.expectsVector;
    const ModelFeatures mf =
        request.features.value_or(defaultModelFeatures(encoder ? arch : vectors ? "dense" : "compact_cnn"));
    const auto cacheDir = request.featureCache.empty() ? defaultFeatureCacheFor(request.library) : request.featureCache;

    SiameseTrainingResult result;
    result.loss = loss;
    auto parts = loadParts(set.examples, mf, triplet, cacheDir, request.extractionThreads, progress, result.failedFiles);
    const LoadedPart& train = parts["train"];
    const LoadedPart& validation = parts["validation"];
    const LoadedPart& test = parts["test"];
    result.trainTracks = train.inputs.size();
    result.validationTracks = validation.inputs.size();
    result.testTracks = test.inputs.size();
    const std::string name = request.library.stem().string() + ":" + set.task.toString() + "@" + split;
    if (train.inputs.size() < 2) throw Error(name, "fewer than two training tracks with readable audio");

    std::vector<std::string> trainIds, validationIds;
    for (const auto& e : train.examples) trainIds.push_back(std::to_string(e.trackId));
    for (const auto& e : validation.examples) validationIds.push_back(std::to_string(e.trackId));

    std::optional<ml::Dataset> trainSet, validationSet;
    ml::ModelSpec model = request.model;
    if (triplet) {
        if (!encoder) model.params["input"] = "item";
        std::vector<std::string> classNames;
        const auto trainClasses = classOfEachExample(set, train.examples);
        for (const auto& c : trainClasses)
            if (std::find(classNames.begin(), classNames.end(), c) == classNames.end()) classNames.push_back(c);
        std::sort(classNames.begin(), classNames.end());
        if (classNames.size() < 2) throw Error(name, "the triplet loss needs training tracks of at least two classes");
        trainSet.emplace(itemDataset(name + ":train", classNames, train, trainClasses));
        const auto validationClasses = classOfEachExample(set, validation.examples);
        LoadedPart known;  // validation tracks of classes the training part has
        std::vector<std::string> knownClasses;
        for (std::size_t i = 0; i < validation.inputs.size(); ++i)
            if (std::count(classNames.begin(), classNames.end(), validationClasses[i])) {
                known.examples.push_back(validation.examples[i]);
                known.inputs.push_back(validation.inputs[i]);
                knownClasses.push_back(validationClasses[i]);
            }
        if (known.inputs.size() >= 2) validationSet.emplace(itemDataset(name + ":validation", classNames, known, knownClasses));
    } else {
        model.params["input"] = "pair";
        std::vector<ml::ItemPair> pairs = toItemPairs(siamesePairs(set, train.examples, request.pairs));
        if (request.includeMarks) {
            std::map<std::int64_t, std::size_t> rowOf;
            for (std::size_t i = 0; i < train.examples.size(); ++i) rowOf[train.examples[i].trackId] = i;
            std::vector<similarity::Judgement> marks;
            for (const auto& j : db.judgements()) marks.push_back({j.query, j.neighbour, j.similar});
            const auto fromMarks = toItemPairs(similarity::pairsFromJudgements(marks, rowOf));
            result.pairsFromMarks = fromMarks.size();
            // The user's marks are few and deliberate: repeated so they weigh like a track's drawn pairs.
            for (std::size_t r = 0; r < std::max<std::size_t>(1, request.pairs.perTrack); ++r)
                pairs.insert(pairs.end(), fromMarks.begin(), fromMarks.end());
        }
        trainSet.emplace(ml::makePairDataset(name + ":train", train.inputs, pairs, trainIds));
        if (validation.inputs.size() >= 2) {
            SiamesePairOptions v = request.pairs;
            v.perTrack = 2;
            v.seed = request.pairs.seed + 7;
            try {
                validationSet.emplace(ml::makePairDataset(name + ":validation", validation.inputs,
                                                          toItemPairs(siamesePairs(set, validation.examples, v)),
                                                          validationIds));
            } catch (const Error&) {
                // e.g. validation tracks of one class only: no validation loss, the retrieval metric still runs
            }
        }
    }
    result.trainExamples = trainSet->size();
    result.validationExamples = validationSet ? validationSet->size() : 0;

    ml::TrainingConfig config = request.config;
    config.loss = loss;
    config.trainEmbedding = encoder;
    config.restoreBest = false;  // the per-epoch retrieval metric reads the model the trainer has just written
    config.windowFrames = vectors ? 0 : mf.windowFrames;
    config.featureSpec = mf.specString();
    config.datasetName = name;
    // The tutorial's siamese CNN standardises globally; an encoder keeps the request's (a pretrained one its own).
    if (!encoder) config.standardization = vectors ? ml::StandardizationMode::PerBand : ml::StandardizationMode::Global;

    nlohmann::json settings = {
        {"name", request.runName.empty() ? config.runDir.filename().string() : request.runName},
        {"data_set", std::filesystem::absolute(request.library).string()},
        {"model", request.model.toString()},
        {"task", set.task.toString()},
        {"split", split},
        {"features", request.features ? config.featureSpec : std::string()},
        {"epochs", config.epochs},
        {"batch_size", config.batchSize},
        {"learning_rate", config.learningRate},
        {"optimizer", std::string(ml::toString(config.optimizer))},
        {"seed", std::to_string(config.seed)},
        {"threads", config.threads},
        {"init", config.initRun.empty() ? std::string() : std::filesystem::absolute(config.initRun).string()},
        {"siamese",
         {{"pairs", std::string(toString(request.pairs.source))},
          {"loss", loss},
          {"margin", triplet ? request.tripletMargin : request.margin},
          {"pairs_per_track", request.pairs.perTrack},
          {"identity", request.pairs.identity},
          {"marks", request.includeMarks},
          {"class_table", request.pairs.classTable.string()},
          {"offset", request.pairs.offset}}},
        {"train_tracks", result.trainTracks},
        {"validation_tracks", result.validationTracks},
        {"test_tracks", result.testTracks},
        {"train_examples", result.trainExamples},
        {"validation_examples", result.validationExamples},
    };
    if (request.recordRun) {
        library::RunRecord run;
        run.name = settings["name"].get<std::string>();
        run.task = "siamese:" + set.task.toString();
        run.model = model.toString();
        run.settingsJson = settings.dump();
        run.status = "running";
        run.runDir = std::filesystem::absolute(config.runDir).string();
        result.runId = db.addRun(run);
    }

    const auto losses = ml::siameseLosses({.margin = request.margin, .tripletMargin = request.tripletMargin});
    SiameseObserver recorder(observer);
    recorder.runDir = config.runDir;
    recorder.set = &set;
    recorder.validation = &validation;
    recorder.k = request.validationK;
    ml::Trainer trainer(model, config, *trainSet, validationSet ? &*validationSet : nullptr, &recorder,
                        losses.get());
    if (onTrainer) onTrainer(trainer);
    result.training = trainer.run();
    if (request.recordRun) db.appendRunPoints(result.runId, recorder.points());
    if (!recorder.metricError.empty())
        result.training.message += (result.training.message.empty() ? "" : "; ") +
                                   std::string("validation retrieval metric failed: ") + recorder.metricError;

    std::map<std::string, double> metrics;
    if (!result.training.history.empty()) {
        metrics["train_loss"] = result.training.history.back().trainLoss;
        if (result.training.history.back().validationLoss) metrics["validation_loss"] = *result.training.history.back().validationLoss;
    }
    for (auto it = recorder.points().rbegin(); it != recorder.points().rend(); ++it)  // the last epoch's validation metrics
        if (it->series.rfind("validation/", 0) == 0 && it->series != "validation/loss" &&
            !metrics.count(it->series.substr(11)))
            metrics[it->series.substr(11)] = it->value;
    const bool usable = result.training.state != ml::TrainingState::Failed && ml::isRunFolder(config.runDir);
    if (usable) {
        ml::SavedModelInfo info = ml::readSavedModelInfo(config.runDir);
        info.extra["library"] = std::filesystem::absolute(request.library).string();
        info.extra["library_task"] = set.task.toString();
        info.extra["split"] = split;
        info.extra["feature_cache"] = std::filesystem::absolute(cacheDir).string();
        info.extra["siamese_pairs"] = std::string(toString(request.pairs.source));
        info.extra["siamese_loss"] = loss;
        // The rest of the recipe, for siameseRecipeOf (cross-validation trains it again).
        info.extra["siamese_margin"] = std::to_string(triplet ? request.tripletMargin : request.margin);
        info.extra["siamese_pairs_per_track"] = std::to_string(request.pairs.perTrack);
        info.extra["siamese_identity"] = request.pairs.identity ? "1" : "0";
        info.extra["siamese_marks"] = request.includeMarks ? "1" : "0";
        info.extra["siamese_class_table"] = request.pairs.classTable.string();
        info.extra["siamese_offset"] = std::to_string(request.pairs.offset);
        info.extra["siamese_tag_weighting"] = std::string(tagWeightingName(request.pairs.tagWeighting));
        info.extra["siamese_pair_seed"] = std::to_string(request.pairs.seed);
        for (auto& [k, v] : ml::trainingConfigEntries(config)) info.extra[k] = v;  // the starting run included
        ml::writeSavedModelInfo(config.runDir, info);
        if (test.inputs.size() >= 2) {
            const auto predictor = ml::Predictor::load(config.runDir);
            auto report = retrievalOnPart(predictor, set, test, request.testK);
            if (report.queries > 0) {
                const std::string k = std::to_string(request.testK);
                std::map<std::string, double> testMetrics{{"precision_at_" + k, report.precisionAtK},
                                                          {"map", report.meanAveragePrecision}};
                ml::updateSavedMetrics(config.runDir, testMetrics, "test_");
                for (const auto& [key, v] : testMetrics) metrics["test_" + key] = v;
                result.test = std::move(report);
            }
        }
    }
    if (request.recordRun) {
        db.setRunStatus(result.runId, std::string(ml::toString(result.training.state)));
        db.setRunMetrics(result.runId, metricsJsonText(metrics));
    }
    return result;
}

SiameseTrainingRequest siameseRecipeOf(const std::filesystem::path& run) {
    if (!ml::isRunFolder(run)) throw fileError(run, "is not a trained run (no model.txt and model.pt)");
    const ml::SavedModelInfo info = ml::readSavedModelInfo(run);
    const auto extra = [&](const std::string& key, const std::string& fallback = {}) {
        const auto it = info.extra.find(key);
        return it == info.extra.end() ? fallback : it->second;
    };
    const std::string loss = extra("siamese_loss");
    if (loss.empty()) throw fileError(run, "is not a run of train-siamese (its model.txt names no siamese loss)");
    SiameseTrainingRequest r;
    r.library = extra("library");
    r.task = extra("library_task", info.task.toString());
    r.model = info.model;
    r.model.params.erase("input");  // the pipeline sets pair or item input itself
    r.loss = loss;
    r.pairs.source = parseSiamesePairSource(extra("siamese_pairs", "labels"));
    try {
        const std::string margin = extra("siamese_margin");
        if (!margin.empty()) (loss == "triplet" ? r.tripletMargin : r.margin) = std::stod(margin);
        r.pairs.perTrack = std::size_t(std::stoul(extra("siamese_pairs_per_track", "5")));
        r.pairs.identity = extra("siamese_identity", "1") == "1";
        r.includeMarks = extra("siamese_marks", "1") == "1";
        r.pairs.classTable = extra("siamese_class_table");
        r.pairs.offset = std::stof(extra("siamese_offset", "0"));
        r.pairs.tagWeighting = parseTagWeighting(extra("siamese_tag_weighting", "tutorial"));
        r.pairs.seed = std::stoull(extra("siamese_pair_seed", "1"));
    } catch (const std::logic_error&) {
        throw fileError(run / "model.txt", "has a siamese setting that is not a number");
    }
    r.config = ml::trainingConfigFromEntries(info.extra);
    // Runs from before model.txt held the whole config: the starting run is in the library's runs table.
    if (!info.extra.count("config.init_run") && !r.library.empty() && std::filesystem::exists(r.library)) {
        const auto dir = std::filesystem::absolute(run).lexically_normal();
        for (const auto& row : library::LibraryDatabase(r.library).runs())
            if (std::filesystem::path(row.runDir).lexically_normal() == dir) {
                const auto settings = nlohmann::json::parse(row.settingsJson, nullptr, false);
                if (settings.is_object() && settings.value("init", std::string()) != "")
                    r.config.initRun = settings["init"].get<std::string>();
                break;
            }
    }
    r.features = ModelFeatures::fromSpecString(info.featureSpec, info.input.frames);
    r.featureCache = extra("feature_cache");
    return r;
}

}  // namespace sonolab::pipeline
