#include "core/pipeline/FoldEvaluation.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/SavedModel.h"
#include "core/ml/Trainer.h"
#include "core/ml/TrainingConfigText.h"
#include "core/util/ContentHash.h"
#include "core/util/Error.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace sonolab::pipeline {
namespace {

Evaluation pooledEvaluation(const TaskSpec& task, const std::vector<Evaluation>& folds) {
    Evaluation out{.split = "folds", .part = "every clip once"};
    std::vector<std::vector<float>> probabilities, targets;
    for (const auto& fold : folds)
        for (const auto& p : fold.predictions) {
            out.predictions.push_back(p);
            probabilities.push_back(p.probabilities);
            targets.push_back(p.target);
        }
    out.report = ml::evaluate(task, probabilities, targets);
    return out;
}

std::string extraOf(const ml::SavedModelInfo& info, const std::string& key) {
    auto it = info.extra.find(key);
    return it == info.extra.end() ? std::string() : it->second;
}

}  // namespace

std::string foldMemberKey(const std::string& recipe, const std::vector<library::TrainingExample>& examples) {
    std::ostringstream text;
    text << recipe;
    for (const auto& e : examples) text << e.trackId << ':' << e.split << '\n';
    const std::string s = text.str();
    return hashHex(contentHash(std::as_bytes(std::span(s.data(), s.size()))));
}

bool isFoldMember(const std::filesystem::path& dir, const std::string& key) {
    if (!ml::isRunFolder(dir)) return false;
    try {
        return extraOf(ml::readSavedModelInfo(dir), "fold_member") == key;
    } catch (const Error&) {
        return false;
    }
}

Spread spreadOf(const std::vector<double>& values) {
    Spread s;
    if (values.empty()) return s;
    s.min = *std::min_element(values.begin(), values.end());
    s.max = *std::max_element(values.begin(), values.end());
    double sum = 0;
    for (double v : values) sum += v;
    s.mean = sum / double(values.size());
    if (values.size() > 1) {
        double sq = 0;
        for (double v : values) sq += (v - s.mean) * (v - s.mean);
        s.std = std::sqrt(sq / double(values.size() - 1));
    }
    return s;
}

double validationShareFor(const ml::TrainingConfig& config) {
    return config.earlyStoppingPatience > 0 || config.restoreBest ? 0.15 : 0.0;
}

FoldResult crossValidate(const FoldRequest& request, FoldObserver* observer, const Progress* progress,
                         const std::function<void(ml::Trainer&)>& onTrainer) {
    if (request.seeds < 1) throw Error("folds", "need at least one seed per fold");
    if (request.validationShare && (*request.validationShare < 0 || *request.validationShare >= 1))
        throw Error("folds", "the validation share must be in [0, 1)");
    if (!ml::isRunFolder(request.run)) throw fileError(request.run, "is not a trained run (no model.txt and model.pt)");
    const ml::SavedModelInfo info = ml::readSavedModelInfo(request.run);
    ml::TrainingConfig base = ml::trainingConfigFromEntries(info.extra);
    const double validationShare = request.validationShare.value_or(validationShareFor(base));
    if (request.epochs > 0) base.epochs = request.epochs;
    base.windowFrames = info.input.frames;
    base.featureSpec = info.featureSpec;

    library::LibraryDatabase db(request.library);
    const std::string taskText = libraryTaskOf(info);
    library::TrainingSet set = library::loadTrainingSet(db, taskText, "");
    if (set.classes != info.task.labels)
        throw fileError(request.library, "its classes for " + taskText + " differ from the run's (" +
                                             info.task.toString() + ")");
    const TaskSpec task = set.task.withoutLabelSet();

    // Folds of whole groups, stratified by class (the arg-max label: single-label classes, a multi-label clip's first).
    // The validation share holds out source tracks, not albums: a collection has few albums, and a validation
    // part of one or two of them would pick the epoch for their sake alone.
    std::vector<datasets::SplitItem> items;
    std::map<library::TrackId, std::string> sourceOf;
    for (const auto& e : set.examples) {
        datasets::SplitItem item;
        item.track = e.trackId;
        const auto top = std::max_element(e.labels.begin(), e.labels.end());
        if (top != e.labels.end() && *top > 0.5f) item.stratum = set.classes[std::size_t(top - e.labels.begin())];
        if (const auto t = db.track(e.trackId)) {
            item.group = datasets::groupOf(*t, request.groupBy);
            sourceOf[e.trackId] = datasets::groupOf(*t, datasets::GroupBy::Group);
        }
        items.push_back(std::move(item));
    }
    std::map<library::TrackId, int> foldOf;
    for (const auto& a : datasets::groupFolds(items, request.folds, request.foldSeed)) foldOf[a.track] = a.fold;

    const ModelFeatures mf = ModelFeatures::fromSpecString(info.featureSpec, info.input.frames);
    std::filesystem::path cache = request.featureCache;
    if (cache.empty())
        cache = extraOf(info, "feature_cache").empty() ? defaultFeatureCacheFor(request.library)
                                                       : std::filesystem::path(extraOf(info, "feature_cache"));
    LoadedExamples loaded = loadExampleFeatures(set.examples, mf, cache, 0, progress);

    FoldResult result;
    result.groupBy = request.groupBy == datasets::GroupBy::Album ? "album" : "group";
    std::map<std::string, std::vector<double>> perMetric;
    const std::string name = request.library.stem().string() + ":" + taskText;
    for (int fold = 0; fold < request.folds; ++fold) {
        // Test: this fold. The others train, less a share of their groups for validation.
        std::vector<datasets::SplitItem> rest;
        for (auto item : items)
            if (foldOf[item.track] != fold) {
                item.group = sourceOf[item.track];
                rest.push_back(std::move(item));
            }
        std::map<library::TrackId, library::SplitPart> inner;
        if (validationShare > 0)
            for (const auto& a : datasets::groupAwareSplit(rest, {1.0 - validationShare, validationShare, 0.0},
                                                           request.foldSeed + 1000 + std::uint64_t(fold)))
                inner[a.track] = a.part;
        for (auto& e : loaded.examples)
            e.split = foldOf[e.trackId] == fold                                    ? "test"
                      : inner.count(e.trackId) && inner[e.trackId] == library::SplitPart::Validation ? "validation"
                                                                                                      : "train";
        ml::Dataset train = datasetOfPart(name + "@fold" + std::to_string(fold + 1), task, loaded, "train");
        ml::Dataset validation = datasetOfPart(name + "@fold" + std::to_string(fold + 1), task, loaded, "validation");
        result.trainClips.push_back(train.size());
        result.validationClips.push_back(validation.size());
        if (train.empty()) throw fileError(request.library, "fold " + std::to_string(fold + 1) + " leaves nothing to train on");

        std::vector<std::filesystem::path> members;
        int trained = 0;
        for (int s = 0; s < request.seeds; ++s) {
            ml::TrainingConfig config = base;
            config.seed = base.seed + std::uint64_t(s);
            config.runDir = request.run / "folds" / ("fold-" + std::to_string(fold + 1)) / ("seed-" + std::to_string(s + 1));
            config.datasetName = train.name();
            std::ostringstream recipe;
            recipe << info.model.toString() << '\n' << info.featureSpec << '\n';
            for (const auto& [k, v] : ml::trainingConfigEntries(config)) recipe << k << '=' << v << '\n';
            const std::string key = foldMemberKey(recipe.str(), loaded.examples);
            const bool reuse = isFoldMember(config.runDir, key);
            if (progress) progress->throwIfCancelled();
            if (observer) observer->onMember(fold, request.folds, s, request.seeds, reuse);
            if (!reuse) {
                std::filesystem::remove_all(config.runDir);  // a stale or interrupted member of an older recipe
                ml::Trainer trainer(info.model, config, train, validation.empty() ? nullptr : &validation, observer);
                if (onTrainer) onTrainer(trainer);
                const auto r = trainer.run();
                // A member stopped for the cancel is left unfinished: no fold_member key, so it trains again next time.
                if (progress && progress->cancelled()) throw Cancelled{};
                if (r.state != ml::TrainingState::Finished)
                    throw fileError(config.runDir, "fold " + std::to_string(fold + 1) + " did not train: " + r.message);
                ml::SavedModelInfo stored = ml::readSavedModelInfo(config.runDir);
                stored.extra["fold_member"] = key;
                stored.extra["library_task"] = taskText;
                ml::writeSavedModelInfo(config.runDir, stored);
                ++trained;
            }
            members.push_back(config.runDir);
        }
        result.trainedMembers.push_back(trained);
        const auto models = ml::Ensemble::load(members);
        result.folds.push_back(evaluateLoaded(models, loaded, "test", "fold " + std::to_string(fold + 1), request.aggregation));
        for (const auto& [k, v] : result.folds.back().report.asMap()) perMetric[k].push_back(v);
    }
    for (const auto& [k, values] : perMetric)
        if (values.size() == std::size_t(request.folds)) result.summary[k] = spreadOf(values);
    result.pooled = pooledEvaluation(task, result.folds);
    return result;
}

}  // namespace sonolab::pipeline
