#include "core/pipeline/SiameseEvaluation.h"

#include "core/library/LibraryDatabase.h"
#include "core/ml/ContrastivePretraining.h"
#include "core/ml/SavedModel.h"
#include "core/pipeline/LibraryTraining.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <set>

namespace sonolab::pipeline {

void restrictToSplitPart(const library::LibraryDatabase& db, const std::string& split, const std::string& part,
                         similarity::CollectionSpace& space) {
    const auto wanted = library::splitPartFromString(part);
    std::set<std::int64_t> inPart;
    for (const auto& a : db.split(split))
        if (a.part == wanted) inPart.insert(a.track);
    if (inPart.empty()) throw fileError(db.file(), "split '" + split + "' has no " + part + " tracks");
    keepTracks(inPart, space);
}

std::string retrievalGroup(std::int64_t track, const std::string& artist, const std::string& group, bool byArtist,
                           bool byGroup) {
    if (byArtist && !artist.empty()) return "artist:" + artist;
    if (byGroup && !group.empty()) return "group:" + group;
    return "track:" + std::to_string(track);
}

void keepTracks(const std::set<std::int64_t>& tracks, similarity::CollectionSpace& space) {
    similarity::EmbeddingMatrix kept(space.vectors.dim());
    for (std::size_t r = 0; r < space.vectors.rows(); ++r)
        if (tracks.count(space.vectors.id(r))) kept.append(space.vectors.id(r), space.vectors.row(r));
    space.vectors = std::move(kept);
}

similarity::CollectionSpace buildEvaluatedSpace(const library::LibraryDatabase& db, const SpaceEvaluationRequest& request,
                                                const Progress* progress, int threads) {
    similarity::CollectionSpace space = similarity::buildCollectionSpace(
        db, request.space, {.featureCache = request.featureCache, .threads = threads}, progress);
    if (!space.groups) space.metric = similarity::parseMetric(request.metric);
    if (space.vectors.empty()) throw fileError(db.file(), "no track could be placed in the space '" + request.space + "'");
    return space;
}

std::map<std::int64_t, std::vector<std::string>> relevanceLabels(const library::LibraryDatabase& db,
                                                                 const SpaceEvaluationRequest& request) {
    std::map<std::int64_t, std::vector<std::string>> all;
    if (!request.labelSet.empty()) {
        if (!db.labelSet(request.labelSet)) throw fileError(db.file(), "no label set called '" + request.labelSet + "'");
        all = db.positiveLabels(request.labelSet);
    } else {
        for (const auto& t : db.tracks())
            for (const auto& l : db.labelsOfTrack(t.id))
                if (l.value > 0.5) all[t.id].push_back(l.label);
    }
    const std::set<std::string> wanted(request.labels.begin(), request.labels.end());
    std::map<std::int64_t, std::vector<std::string>> out;
    for (auto& [id, labels] : all)
        for (auto& l : labels)
            if (wanted.empty() || wanted.count(l)) out[id].push_back(std::move(l));
    return out;
}

SpaceEvaluation evaluateBuiltSpace(const library::LibraryDatabase& db, const similarity::CollectionSpace& space,
                                   const SpaceEvaluationRequest& request, const std::set<std::int64_t>& queries,
                                   const Progress* progress) {
    const auto all = relevanceLabels(db, request);
    std::map<std::int64_t, library::TrackRecord> tracks;
    for (auto& t : db.tracks()) tracks[t.id] = t;

    SpaceEvaluation out;
    out.failures = space.failures;
    const std::size_t n = space.vectors.rows();
    std::vector<std::vector<std::string>> labels(n);
    std::vector<std::string> groups(n);
    similarity::EvaluationParams params{.k = request.k, .metric = space.metric, .groups = space.groups};
    if (!queries.empty()) params.queries.resize(n);
    for (std::size_t r = 0; r < n; ++r) {
        const auto id = space.vectors.id(r);
        out.tracks.push_back(id);
        if (auto it = all.find(id); it != all.end()) labels[r] = it->second;
        if (!queries.empty()) params.queries[r] = queries.count(id) > 0;
        const auto& t = tracks[id];
        groups[r] = retrievalGroup(id, t.artist, t.group, request.excludeArtist, request.excludeGroup);
    }
    out.report = similarity::evaluateRetrieval(space.vectors, labels, groups, params, progress);
    if (out.report.queries == 0) {
        std::string names;
        for (const auto& l : request.labels) names += (names.empty() ? "" : ",") + l;
        throw fileError(db.file(), "no track in the space carries any of the labels " + (names.empty() ? "(any)" : names));
    }
    out.metric = space.groups ? std::string("grouped") : similarity::metricName(space.metric);
    return out;
}

std::string labelSetLearntBy(const std::string& space) {
    if (space.rfind("run:", 0) != 0) return {};
    const std::filesystem::path run = space.substr(4);
    if (!ml::isRunFolder(run) || ml::isPretrainedRun(run)) return {};
    const auto info = ml::readSavedModelInfo(run);
    const std::string task = libraryTaskOf(info);
    const auto at = task.rfind('@');
    return at == std::string::npos ? std::string() : task.substr(at + 1);
}

SpaceEvaluation evaluateSpace(const library::LibraryDatabase& db, const SpaceEvaluationRequest& request,
                              const Progress* progress) {
    similarity::CollectionSpace space = buildEvaluatedSpace(db, request, progress);
    if (!request.split.empty()) restrictToSplitPart(db, request.split, request.part, space);
    return evaluateBuiltSpace(db, space, request, {}, progress);
}

}  // namespace sonolab::pipeline
