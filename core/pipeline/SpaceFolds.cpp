#include "core/pipeline/SpaceFolds.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/ContrastivePretraining.h"
#include "core/ml/SavedModel.h"
#include "core/ml/TrainingConfigText.h"
#include "core/pipeline/NeighbourLabelling.h"
#include "core/pipeline/SiameseTraining.h"
#include "core/similarity/CollectionSpaces.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <set>
#include <sstream>

namespace sonolab::pipeline {
namespace {

// Whether the space's vectors were learnt from labels, so that each fold needs its own model; throws for a run
// trained on labels in a way this cannot repeat.
bool needsTrainingPerFold(const std::string& space) {
    if (space.rfind("run:", 0) != 0) return false;  // handcrafted
    const std::filesystem::path run = space.substr(4);
    if (!ml::isRunFolder(run)) throw fileError(run, "is not a trained run (no model.txt and model.pt)");
    const auto info = ml::readSavedModelInfo(run);
    if (info.extra.count("siamese_loss")) return true;
    if (ml::isPretrainedRun(run)) return false;  // learnt without labels
    throw fileError(run, "was trained on labels as a classifier: its space cannot be scored by folds here without "
                         "training it again; cross-validate the classifier with `evaluate --folds`, or score its "
                         "space on held-out tracks with --split S --part test");
}

// Fold i's request for the run's recipe: the fold's tracks held out, every other track of the task trains.
SiameseTrainingRequest foldRecipe(const SpaceFoldRequest& request, const std::filesystem::path& run,
                                  const std::map<std::int64_t, int>& foldOf, const library::LibraryDatabase& db,
                                  int fold) {
    SiameseTrainingRequest r = siameseRecipeOf(run);
    r.library = request.library;
    if (!request.evaluation.featureCache.empty()) r.featureCache = request.evaluation.featureCache;
    if (request.epochs > 0) r.config.epochs = request.epochs;
    if (request.threads > 0) r.config.threads = r.extractionThreads = request.threads;
    r.config.runDir = run / "folds" / ("fold-" + std::to_string(fold + 1));
    r.recordRun = false;
    for (const auto& t : db.tracks()) {
        const auto it = foldOf.find(t.id);
        r.parts[t.id] = it != foldOf.end() && it->second == fold ? "test" : "train";
    }
    return r;
}

// Each track's positive labels as text ("set/label ..."), read once for every fold's key.
std::map<std::int64_t, std::string> labelTextOfTracks(const library::LibraryDatabase& db) {
    std::map<std::int64_t, std::string> out;
    for (const auto& t : db.tracks())
        for (const auto& l : db.labelsOfTrack(t.id))
            if (l.value > 0.5) out[t.id] += ' ' + l.labelSet + '/' + l.label;
    return out;
}

// Everything the fold's model learns by, for isFoldMember: the recipe, each track's part and its labels (a track
// labelled again trains another model).
std::string foldKey(const SiameseTrainingRequest& r, const std::map<std::int64_t, std::string>& labelText) {
    std::ostringstream recipe;
    recipe << "siamese\n" << r.model.toString() << '\n' << r.task << '\n' << (r.features ? r.features->specString() : "")
           << '\n' << r.loss << ' ' << r.margin << ' ' << r.tripletMargin << ' ' << toString(r.pairs.source) << ' '
           << r.pairs.perTrack << ' ' << r.pairs.identity << ' ' << r.includeMarks << ' ' << r.pairs.classTable.string()
           << ' ' << r.pairs.offset << ' ' << tagWeightingName(r.pairs.tagWeighting) << ' ' << r.pairs.seed << '\n';
    for (const auto& [k, v] : ml::trainingConfigEntries(r.config)) recipe << k << '=' << v << '\n';
    std::vector<library::TrainingExample> parts;
    for (const auto& [track, part] : r.parts) {
        library::TrainingExample e;
        e.trackId = track;
        e.split = part;
        if (const auto it = labelText.find(track); it != labelText.end()) e.split += it->second;
        parts.push_back(std::move(e));
    }
    return foldMemberKey(recipe.str(), parts);
}

struct Votes {
    std::vector<std::vector<float>> probabilities, targets;  // per query: vote shares, its labels (one-hot or multi-hot)
    std::vector<bool> abstains;  // per query: the abstaining rule leaves it unlabelled
    std::vector<bool> right;     // per query: the vote, before the rule, names exactly its labels
};

// Each query of `fold` classified by k-NN among the labelled rows of the other folds.
// groupOfRow: each row's recording, which isolation looks past.
Votes knnFold(const similarity::CollectionSpace& space, const std::map<std::int64_t, int>& foldOf,
              const std::map<std::int64_t, std::vector<int>>& labelsOf, const std::vector<std::string>& groupOfRow,
              const TaskSpec& task, int fold, const VoteRule& rule) {
    std::vector<std::size_t> queries, voters;
    const bool multi = task.kind == TaskKind::MultiLabel;
    std::vector<std::vector<int>> labelsOfVoter;
    for (std::size_t r = 0; r < space.vectors.rows(); ++r) {
        const auto f = foldOf.find(space.vectors.id(r));
        if (f == foldOf.end()) continue;
        if (f->second == fold) {
            queries.push_back(r);
        } else {
            voters.push_back(r);
            labelsOfVoter.push_back(labelsOf.at(space.vectors.id(r)));
        }
    }
    std::optional<LabelledIsolation> isolation;  // only to score the abstaining rule
    if (rule.reach > 0) isolation.emplace(space, voters, groupOfRow);
    const NeighbourVoter voter(space, std::move(voters), std::move(labelsOfVoter), task.labels.size(), multi);
    const bool abstaining = rule.reach > 0 || rule.minShare > 0;
    const float reach = isolation ? isolation->reach(rule.reach) : std::numeric_limits<float>::infinity();
    Votes out;
    for (std::size_t q : queries) {
        auto vote = voter.vote(q, rule.k);
        const float isolated = isolation ? isolation->of(q) : 1.0f;
        out.abstains.push_back(abstaining && !abstention(vote, isolated, rule, reach, multi).empty());
        std::vector<int> truth = labelsOf.at(space.vectors.id(q));
        std::vector<int> named;
        for (const std::size_t l : votedLabels(vote, {.k = rule.k}, multi)) named.push_back(int(l));
        std::sort(truth.begin(), truth.end());
        std::sort(named.begin(), named.end());
        out.right.push_back(named == truth);
        out.probabilities.push_back(std::move(vote.shares));
        std::vector<float> target(task.labels.size(), 0.0f);
        for (const int l : truth) target[std::size_t(l)] = 1.0f;
        out.targets.push_back(std::move(target));
    }
    return out;
}

// Every query's vote, split by whether the abstaining rule kept it.
SpaceFoldResult::Abstention abstentionOf(const TaskSpec& classes, const Votes& all) {
    SpaceFoldResult::Abstention out;
    Votes voted;
    for (std::size_t i = 0; i < all.probabilities.size(); ++i) {
        const auto& p = all.probabilities[i];
        const auto& t = all.targets[i];
        const bool right = all.right[i];
        ++out.queries;
        if (all.abstains[i]) {
            out.rightLeft += right;
            continue;
        }
        ++out.voted;
        out.rightVoted += right;
        voted.probabilities.push_back(p);
        voted.targets.push_back(t);
    }
    if (!voted.probabilities.empty()) out.ofVoted = ml::evaluate(classes, voted.probabilities, voted.targets);
    return out;
}

}  // namespace

FoldCandidates parseFoldCandidates(const std::string& text) {
    if (text == "fold") return FoldCandidates::Fold;
    if (text == "collection") return FoldCandidates::Collection;
    throw Error("--candidates", "unknown candidates '" + text + "' (fold or collection)");
}

SpaceFoldResult crossValidateSpace(const SpaceFoldRequest& request, FoldObserver* observer, const Progress* progress,
                                   const std::function<void(ml::Trainer&)>& onTrainer) {
    if (request.folds < 2) throw Error("folds", "need at least two folds");
    const std::string& spaceName = request.evaluation.space;
    SpaceFoldResult result;
    result.retrained = needsTrainingPerFold(spaceName);
    result.groupBy = request.groupBy == datasets::GroupBy::Album ? "album" : "group";
    library::LibraryDatabase db(request.library);

    // Folds of the labelled tracks, whole groups at a time, stratified by their first label.
    const auto labels = relevanceLabels(db, request.evaluation);
    std::vector<datasets::SplitItem> items;
    for (const auto& t : db.tracks()) {
        const auto it = labels.find(t.id);
        if (it == labels.end() || it->second.empty()) continue;
        items.push_back({.track = t.id, .stratum = *std::min_element(it->second.begin(), it->second.end()),
                         .group = datasets::groupOf(t, request.groupBy)});
    }
    if (items.empty()) throw fileError(request.library, "no track carries the labels that define relevance");
    std::map<std::int64_t, int> foldOf;
    for (const auto& a : datasets::groupFolds(items, request.folds, request.foldSeed)) foldOf[a.track] = a.fold;

    // k-NN classification: among the classes where each track has one label, else label by label (multi-label).
    TaskSpec classes{.kind = TaskKind::SingleLabel};
    std::map<std::int64_t, std::vector<int>> labelsOf;  // each labelled track's labels, as indices into classes
    const bool classify = request.knn > 0;
    if (classify) {
        std::set<std::string> names;
        for (const auto& item : items) names.insert(labels.at(item.track).begin(), labels.at(item.track).end());
        classes.labels.assign(names.begin(), names.end());
        const auto indexOf = [&](const std::string& label) {
            return int(std::find(classes.labels.begin(), classes.labels.end(), label) - classes.labels.begin());
        };
        for (const auto& item : items) {
            auto& indices = labelsOf[item.track];
            for (const auto& label : labels.at(item.track)) indices.push_back(indexOf(label));
            if (indices.size() > 1) classes.kind = TaskKind::MultiLabel;
        }
    }

    std::map<std::int64_t, std::string> groupOf;  // each track's recording, as the retrieval leaves it out
    for (const auto& t : db.tracks())
        groupOf[t.id] = retrievalGroup(t.id, t.artist, t.group, request.evaluation.excludeArtist, true);

    std::optional<similarity::CollectionSpace> fixed;
    if (!result.retrained) fixed = buildEvaluatedSpace(db, request.evaluation, progress, request.threads);
    std::map<std::string, std::vector<double>> perMetric;
    Votes allVotes;  // every fold's k-NN votes, for the pooled report
    std::map<std::int64_t, std::string> labelText;
    if (result.retrained) labelText = labelTextOfTracks(db);
    for (int fold = 0; fold < request.folds; ++fold) {
        if (progress) progress->throwIfCancelled();
        std::optional<similarity::CollectionSpace> trained;
        if (result.retrained) {
            const std::filesystem::path run = spaceName.substr(4);
            SiameseTrainingRequest r = foldRecipe(request, run, foldOf, db, fold);
            const std::string key = foldKey(r, labelText);
            const bool reuse = isFoldMember(r.config.runDir, key);
            result.reused.push_back(reuse);
            if (observer) observer->onMember(fold, request.folds, 0, 1, reuse);
            if (!reuse) {
                std::filesystem::remove_all(r.config.runDir);  // a stale or interrupted fold of another recipe
                const auto trainedFold = trainSiameseFromLibrary(r, observer, progress, onTrainer);
                // A fold stopped for the cancel is left without its key, so it trains again next time.
                if (progress && progress->cancelled()) throw Cancelled{};
                if (trainedFold.training.state != ml::TrainingState::Finished)
                    throw fileError(r.config.runDir, "fold " + std::to_string(fold + 1) + " did not train: " +
                                                         trainedFold.training.message);
                ml::SavedModelInfo stored = ml::readSavedModelInfo(r.config.runDir);
                stored.extra["fold_member"] = key;
                ml::writeSavedModelInfo(r.config.runDir, stored);
            }
            auto foldSpace = request.evaluation;
            foldSpace.space = "run:" + r.config.runDir.string();
            trained = buildEvaluatedSpace(db, foldSpace, progress, request.threads);
        }
        const similarity::CollectionSpace& space = trained ? *trained : *fixed;
        for (const auto& [id, why] : space.failures) result.failures.emplace(id, why);
        std::set<std::int64_t> queries;
        for (const auto& [track, f] : foldOf)
            if (f == fold) queries.insert(track);
        const auto evaluation = [&] {
            if (request.candidates == FoldCandidates::Collection)
                return evaluateBuiltSpace(db, space, request.evaluation, queries, progress);
            similarity::CollectionSpace fold = space;
            keepTracks(queries, fold);
            return evaluateBuiltSpace(db, fold, request.evaluation, {}, progress);
        }();
        result.metric = evaluation.metric;
        result.folds.push_back(evaluation.report);
        perMetric["precision_at_k"].push_back(evaluation.report.precisionAtK);
        perMetric["map"].push_back(evaluation.report.meanAveragePrecision);
        if (classify) {
            std::vector<std::string> groupOfRow;
            for (std::size_t r = 0; r < space.vectors.rows(); ++r) groupOfRow.push_back(groupOf.at(space.vectors.id(r)));
            Votes votes = knnFold(space, foldOf, labelsOf, groupOfRow, classes, fold,
                                  {.k = request.knn, .reach = request.knnReach, .minShare = request.knnMinShare});
            result.knnFolds.push_back(ml::evaluate(classes, votes.probabilities, votes.targets));
            for (const auto& [k, v] : result.knnFolds.back().asMap()) perMetric["knn_" + k].push_back(v);
            std::move(votes.probabilities.begin(), votes.probabilities.end(), std::back_inserter(allVotes.probabilities));
            std::move(votes.targets.begin(), votes.targets.end(), std::back_inserter(allVotes.targets));
            allVotes.abstains.insert(allVotes.abstains.end(), votes.abstains.begin(), votes.abstains.end());
            allVotes.right.insert(allVotes.right.end(), votes.right.begin(), votes.right.end());
        }
    }
    if (classify) result.knn = ml::evaluate(classes, allVotes.probabilities, allVotes.targets);
    if (classify && (request.knnReach > 0 || request.knnMinShare > 0)) result.knnAbstention = abstentionOf(classes, allVotes);
    result.pooled = similarity::pooledReport(result.folds);
    result.foldOfTrack = foldOf;
    for (const auto& [k, values] : perMetric)
        if (values.size() == std::size_t(request.folds)) result.summary[k] = spreadOf(values);
    return result;
}

}  // namespace sonolab::pipeline
