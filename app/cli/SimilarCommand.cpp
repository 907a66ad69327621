// `sonolab-cli similar` (a track's nearest neighbours in a space) and `sonolab-cli evaluate-similarity` (precision@k
// and mean average precision of a space by label, leaving out each query's own group).
#include "Commands.h"

#include "core/extraction/Extractor.h"
#include "core/library/LibraryDatabase.h"
#include "core/library/TrainingSet.h"
#include "core/ml/ModelFactory.h"
#include "core/ml/Siamese.h"
#include "core/ml/Trainer.h"
#include "core/pipeline/ModelFeatures.h"
#include "core/similarity/TrainingPairs.h"
#include "core/similarity/CollectionSpaces.h"
#include "core/similarity/ExactIndex.h"
#include "core/similarity/RetrievalEvaluation.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

namespace sonolab::cli {

namespace {

using namespace sonolab::similarity;

struct SimilarOptions {
    std::string db, space = "mfcc", metric = "euclidean", labelSet, featureCache, split, part = "test";
    std::int64_t track = 0;
    std::size_t k = 10;
    bool json = false, excludeGroup = true, excludeArtist = false;
    std::vector<std::string> labels;
};

Progress stderrProgress() {
    Progress p;
    p.report = [last = std::string()](double done, double total, const std::string& message) mutable {
        if (message != last) {
            std::cerr << message << "...\n";
            last = message;
        }
        (void)done;
        (void)total;
    };
    return p;
}

CollectionSpace loadSpace(const library::LibraryDatabase& db, const SimilarOptions& o) {
    Progress progress = stderrProgress();
    CollectionSpace space = buildCollectionSpace(db, o.space, {.featureCache = o.featureCache}, &progress);
    if (o.space.rfind("rp", 0) != 0 || o.space == "rp") space.metric = parseMetric(o.metric);
    for (const auto& [id, why] : space.failures) std::cerr << "track " << id << " skipped: " << why << "\n";
    if (space.vectors.empty()) throw Error(o.db, "no track could be placed in the space '" + o.space + "'");
    return space;
}

// Positive labels of each track, from one label set or from all.
std::map<std::int64_t, std::vector<std::string>> trackLabels(const library::LibraryDatabase& db, const std::string& set) {
    if (!set.empty()) {
        if (!db.labelSet(set)) throw Error(db.file().string(), "no label set called '" + set + "'");
        return db.positiveLabels(set);
    }
    std::map<std::int64_t, std::vector<std::string>> out;
    for (const auto& t : db.tracks())
        for (const auto& l : db.labelsOfTrack(t.id))
            if (l.value > 0.5) out[t.id].push_back(l.label);
    return out;
}

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
    return s;
}

void runSimilar(const SimilarOptions& o) {
    library::LibraryDatabase db(o.db);
    auto query = db.track(o.track);
    if (!query) throw Error(o.db, "no track with id " + std::to_string(o.track));
    CollectionSpace space = loadSpace(db, o);
    const auto row = space.vectors.rowOf(o.track);
    if (row < 0) {
        auto why = space.failures.find(o.track);
        throw Error(query->path, "has no vector in the space '" + o.space + "'" +
                                     (why == space.failures.end() ? std::string() : ": " + why->second));
    }
    std::map<std::int64_t, library::TrackRecord> tracks;
    for (auto& t : db.tracks()) tracks[t.id] = t;
    const auto labels = trackLabels(db, o.labelSet);
    const auto& q = tracks[o.track];
    auto keep = [&](std::int64_t id) {
        if (id == o.track) return false;
        const auto& t = tracks[id];
        if (o.excludeGroup && !q.group.empty() && t.group == q.group) return false;
        if (o.excludeArtist && !q.artist.empty() && t.artist == q.artist) return false;
        return true;
    };
    std::vector<Neighbour> found;
    if (space.groups) {
        auto d = groupedDistances(*space.groups, space.vectors, space.vectors.row(std::size_t(row)));
        for (std::size_t r = 0; r < d.size(); ++r)
            if (keep(space.vectors.id(r))) found.push_back({space.vectors.id(r), d[r]});
        std::sort(found.begin(), found.end(), [](auto& a, auto& b) { return a.distance < b.distance; });
        if (found.size() > o.k) found.resize(o.k);
    } else {
        ExactIndex index(space.vectors, space.metric);
        found = index.search(space.vectors.row(std::size_t(row)), o.k, keep);
    }
    auto labelsOf = [&](std::int64_t id) {
        auto it = labels.find(id);
        return it == labels.end() ? std::vector<std::string>{} : it->second;
    };
    if (o.json) {
        nlohmann::json out{{"query", {{"id", o.track}, {"path", q.path}, {"labels", labelsOf(o.track)}}},
                           {"space", o.space},
                           {"metric", space.groups ? std::string("grouped") : metricName(space.metric)},
                           {"neighbours", nlohmann::json::array()}};
        for (const auto& n : found) {
            const auto& t = tracks[n.id];
            out["neighbours"].push_back({{"id", n.id}, {"distance", n.distance}, {"path", t.path}, {"artist", t.artist},
                                         {"title", t.title}, {"group", t.group}, {"labels", labelsOf(n.id)}});
        }
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::cout << "Neighbours of track " << o.track << " (" << q.path << ") [" << join(labelsOf(o.track)) << "] in "
              << o.space << ":\n";
    int rank = 1;
    for (const auto& n : found) {
        const auto& t = tracks[n.id];
        std::cout << std::setw(3) << rank++ << "  " << std::setw(6) << n.id << "  " << std::fixed << std::setprecision(4)
                  << n.distance << "  " << (t.title.empty() ? t.path : t.artist + " - " + t.title) << "  ["
                  << join(labelsOf(n.id)) << "]\n";
    }
}

// Keeps only the rows of tracks in one part of a split (e.g. evaluate a siamese space on tracks it never saw).
void restrictToSplit(const library::LibraryDatabase& db, const SimilarOptions& o, CollectionSpace& space) {
    if (o.split.empty()) return;
    std::set<std::int64_t> inPart;
    const auto wanted = library::splitPartFromString(o.part);
    for (const auto& a : db.split(o.split))
        if (a.part == wanted) inPart.insert(a.track);
    if (inPart.empty()) throw Error(o.db, "split '" + o.split + "' has no " + o.part + " tracks");
    EmbeddingMatrix kept(space.vectors.dim());
    for (std::size_t r = 0; r < space.vectors.rows(); ++r)
        if (inPart.count(space.vectors.id(r))) kept.append(space.vectors.id(r), space.vectors.row(r));
    space.vectors = std::move(kept);
}

void runEvaluate(const SimilarOptions& o) {
    library::LibraryDatabase db(o.db);
    CollectionSpace space = loadSpace(db, o);
    restrictToSplit(db, o, space);
    const auto all = trackLabels(db, o.labelSet);
    const std::set<std::string> wanted(o.labels.begin(), o.labels.end());
    std::map<std::int64_t, library::TrackRecord> tracks;
    for (auto& t : db.tracks()) tracks[t.id] = t;
    std::vector<std::vector<std::string>> labels(space.vectors.rows());
    std::vector<std::string> groups(space.vectors.rows());
    for (std::size_t r = 0; r < space.vectors.rows(); ++r) {
        const auto id = space.vectors.id(r);
        if (auto it = all.find(id); it != all.end())
            for (const auto& l : it->second)
                if (wanted.empty() || wanted.count(l)) labels[r].push_back(l);
        const auto& t = tracks[id];
        groups[r] = o.excludeArtist && !t.artist.empty() ? "artist:" + t.artist
                    : o.excludeGroup && !t.group.empty() ? "group:" + t.group
                                                         : "track:" + std::to_string(id);
    }
    Progress progress = stderrProgress();
    auto report = evaluateRetrieval(space.vectors, labels, groups,
                                    {.k = o.k, .metric = space.metric, .groups = space.groups}, &progress);
    if (report.queries == 0) throw Error(o.db, "no track in the space carries any of the labels " + join(o.labels));
    if (o.json) {
        nlohmann::json out{{"space", o.space},          {"k", o.k},
                           {"queries", report.queries}, {"precision_at_k", report.precisionAtK},
                           {"map", report.meanAveragePrecision},
                           {"metric", space.groups ? std::string("grouped") : metricName(space.metric)},
                           {"per_label", nlohmann::json::array()}};
        for (const auto& l : report.perLabel)
            out["per_label"].push_back({{"label", l.label}, {"queries", l.queries}, {"precision_at_k", l.precisionAtK},
                                        {"map", l.meanAveragePrecision}});
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::cout << "Space " << o.space << " (" << (space.groups ? std::string("grouped") : metricName(space.metric))
              << "), " << report.queries << " queries" << (o.split.empty() ? "" : " (" + o.part + " part of " + o.split + ")")
              << ", own " << (o.excludeArtist ? "artist" : "group") << " left out\n";
    std::cout << std::fixed << std::setprecision(3);
    std::cout << "  all" << std::string(17, ' ') << "precision@" << o.k << " " << report.precisionAtK << "  MAP "
              << report.meanAveragePrecision << "\n";
    for (const auto& l : report.perLabel)
        std::cout << "  " << std::left << std::setw(20) << l.label << std::right << "precision@" << o.k << " "
                  << l.precisionAtK << "  MAP " << l.meanAveragePrecision << "  (" << l.queries << " queries)\n";
}

struct SiameseOptions {
    std::string db, task, split, model = "siamese_dense", runDir, loss = "contrastive", featureCache;
    int epochs = 20, batch = 64, perItem = 5, threads = 0;
    double learningRate = 1e-3, margin = 1.0;
    bool identity = true, judgements = true;
};

// Trains a siamese network on the library: pairs from the labels of the split's train part (+ identity pairs and the
// user's marks from the browser), features from the cache, the run stored in the library's runs table.
void runTrainSiamese(const SiameseOptions& o) {
    library::LibraryDatabase db(o.db);
    const library::TrainingSet set = library::loadTrainingSet(db, o.task, o.split);
    auto examples = o.split.empty() ? set.examples : set.part("train");
    auto validationExamples = o.split.empty() ? std::vector<library::TrainingExample>{} : set.part("validation");
    if (examples.size() < 2) throw Error(o.db, "fewer than two training tracks for " + o.task);
    const auto spec = ml::ModelSpec::parse(o.model);
    const bool vectors = spec.architecture == "siamese_dense";
    pipeline::ModelFeatures features = pipeline::defaultModelFeatures(vectors ? "dense" : "compact_cnn");
    const features::FeatureCache cache(o.featureCache.empty() ? pipeline::defaultFeatureCacheFor(o.db)
                                                              : std::filesystem::path(o.featureCache));
    const extraction::Extractor extractor(cache, extraction::specFor(features.options));

    auto load = [&](const std::vector<library::TrainingExample>& part, std::vector<ml::FeatureMatrix>& items,
                    std::vector<std::string>& labels, std::vector<std::int64_t>& ids) {
        for (const auto& e : part) {
            try {
                auto m = pipeline::featuresForFile(extractor, features, e.path);
                if (!vectors && m.frames > features.windowFrames) {  // one centre window per track keeps pairs small
                    ml::FeatureMatrix crop;
                    crop.bands = m.bands;
                    crop.frames = features.windowFrames;
                    const std::size_t start = (m.frames - crop.frames) / 2;
                    for (std::size_t b = 0; b < m.bands; ++b)
                        crop.values.insert(crop.values.end(), m.values.begin() + long(b * m.frames + start),
                                           m.values.begin() + long(b * m.frames + start + crop.frames));
                    m = std::move(crop);
                }
                if (!vectors && m.frames < features.windowFrames) continue;
                items.push_back(std::move(m));
                const auto best = std::max_element(e.labels.begin(), e.labels.end()) - e.labels.begin();
                labels.push_back(set.classes[std::size_t(best)]);
                ids.push_back(e.trackId);
            } catch (const std::exception& ex) {
                std::cerr << e.path << " skipped: " << ex.what() << "\n";
            }
        }
    };
    std::vector<ml::FeatureMatrix> items, valItems;
    std::vector<std::string> labels, valLabels;
    std::vector<std::int64_t> ids, valIds;
    std::cerr << "features for " << examples.size() << " training tracks...\n";
    load(examples, items, labels, ids);
    load(validationExamples, valItems, valLabels, valIds);

    auto toItemPairs = [](const std::vector<TrainingPair>& pairs) {
        std::vector<ml::ItemPair> out;
        for (const auto& p : pairs) out.push_back({p.a, p.b, p.target});
        return out;
    };
    std::vector<ml::ItemPair> pairs = toItemPairs(pairsFromLabels(labels, {.perItem = std::size_t(o.perItem), .identity = o.identity}));
    std::size_t marks = 0;
    if (o.judgements) {
        std::map<std::int64_t, std::size_t> rowOf;
        for (std::size_t i = 0; i < ids.size(); ++i) rowOf[ids[i]] = i;
        std::vector<Judgement> js;
        for (const auto& j : db.judgements()) js.push_back({j.query, j.neighbour, j.similar});
        auto fromMarks = toItemPairs(pairsFromJudgements(js, rowOf));
        marks = fromMarks.size();
        // The user's own marks are few and deliberate: repeat them so they weigh like a class's pairs.
        for (int r = 0; r < o.perItem; ++r) pairs.insert(pairs.end(), fromMarks.begin(), fromMarks.end());
    }
    std::vector<std::string> itemIds, valItemIds;
    for (auto id : ids) itemIds.push_back(std::to_string(id));
    for (auto id : valIds) valItemIds.push_back(std::to_string(id));
    ml::Dataset train = ml::makePairDataset("siamese " + o.task, items, pairs, itemIds);
    std::optional<ml::Dataset> validation;
    if (valItems.size() >= 2 && std::set<std::string>(valLabels.begin(), valLabels.end()).size() >= 2)
        validation.emplace(ml::makePairDataset("siamese validation", valItems,
                                               toItemPairs(pairsFromLabels(valLabels, {.perItem = 2, .seed = 7})),
                                               valItemIds));
    std::cerr << pairs.size() << " training pairs (" << marks << " from your marks), "
              << (validation ? validation->size() : 0) << " validation pairs\n";

    ml::TrainingConfig config;
    config.epochs = o.epochs;
    config.batchSize = o.batch;
    config.learningRate = o.learningRate;
    config.threads = o.threads;
    config.loss = o.loss;
    config.runDir = o.runDir;
    config.featureSpec = features.specString();
    config.datasetName = o.task;
    config.standardization = vectors ? ml::StandardizationMode::PerBand : ml::StandardizationMode::Global;
    auto factory = ml::factoryWithSiamese();
    auto losses = ml::siameseLosses({.margin = o.margin});
    ml::Trainer trainer(spec, config, train, validation ? &*validation : nullptr, nullptr, &factory, losses.get());
    const auto result = trainer.run();
    for (const auto& e : result.history)
        std::cerr << "epoch " << e.epoch + 1 << "/" << e.epochs << "  loss " << e.trainLoss
                  << (e.validationLoss ? "  val " + std::to_string(*e.validationLoss) : std::string()) << "\n";
    library::RunRecord run;
    run.name = std::filesystem::path(o.runDir).filename().string();
    run.task = "siamese:" + o.task;
    run.model = spec.toString();
    run.status = result.state == ml::TrainingState::Finished ? "finished" : "failed";
    run.runDir = std::filesystem::absolute(o.runDir).string();
    db.addRun(run);
    if (result.state != ml::TrainingState::Finished) throw Error(o.runDir, "training did not finish: " + result.message);
    std::cout << "siamese run saved in " << o.runDir << " (search it with --space run:" << o.runDir << ")\n";
}

void addCommonOptions(CLI::App* cmd, SimilarOptions& o) {
    cmd->add_option("--db", o.db, "Library file")->required();
    cmd->add_option("--space", o.space, "mfcc, rp, rp:scaled, rp:weighted or run:RUN_DIR");
    cmd->add_option("--k", o.k, "Neighbours per query");
    cmd->add_option("--metric", o.metric, "euclidean, cosine or manhattan (not for rp:scaled/rp:weighted)");
    cmd->add_option("--label-set", o.labelSet, "Take labels from this label set only");
    cmd->add_option("--features", o.featureCache, "Feature cache folder (default: beside the library)");
    cmd->add_flag("--exclude-artist", o.excludeArtist, "Leave out neighbours by the query's artist");
    cmd->add_flag("!--include-group", o.excludeGroup, "Keep neighbours from the query's own group (source track)");
    cmd->add_flag("--json", o.json, "Print JSON");
    cmd->add_option("--split", o.split, "Only tracks of one part of this split (evaluate-similarity)");
    cmd->add_option("--part", o.part, "train, validation or test (with --split)");
}

}  // namespace

void addSimilarCommands(CLI::App& app) {
    auto similar = std::make_shared<SimilarOptions>();
    CLI::App* cmd = app.add_subcommand("similar", "A track's nearest neighbours in a feature or learned space");
    addCommonOptions(cmd, *similar);
    cmd->add_option("--track", similar->track, "Track id (see `library list`)")->required();
    cmd->callback([similar] { runSimilar(*similar); });

    auto evaluate = std::make_shared<SimilarOptions>();
    CLI::App* eval = app.add_subcommand(
        "evaluate-similarity", "Precision@k and mean average precision of a space by label (own group left out)");
    addCommonOptions(eval, *evaluate);
    eval->add_option("--labels", evaluate->labels, "Labels that define relevance (comma-separated; default: all)")
        ->delimiter(',');
    eval->callback([evaluate] { runEvaluate(*evaluate); });

    auto siamese = std::make_shared<SiameseOptions>();
    CLI::App* train = app.add_subcommand(
        "train-siamese", "Train a siamese network on label pairs (+ your browser marks) for a learned similarity space");
    train->add_option("--db", siamese->db, "Library file")->required();
    train->add_option("--task", siamese->task, "Classes whose pairs define similarity, e.g. single:rock,jazz@style")
        ->required();
    train->add_option("--split", siamese->split, "Split name: pairs from its train part, validation from its validation part");
    train->add_option("--model", siamese->model, "siamese_dense (MFCC statistics) or siamese_cnn (80x80 log-mel)");
    train->add_option("--out", siamese->runDir, "Run folder")->required();
    train->add_option("--loss", siamese->loss, "contrastive (pairs)");
    train->add_option("--margin", siamese->margin, "Contrastive margin");
    train->add_option("--epochs", siamese->epochs, "Epochs");
    train->add_option("--batch", siamese->batch, "Batch size");
    train->add_option("--lr", siamese->learningRate, "Learning rate (Adam)");
    train->add_option("--pairs-per-track", siamese->perItem, "Positive + negative pairs drawn per track");
    train->add_option("--threads", siamese->threads, "Intra-op threads (0 = all cores)");
    train->add_option("--features", siamese->featureCache, "Feature cache folder (default: beside the library)");
    train->add_flag("!--no-identity", siamese->identity, "Leave out identity pairs");
    train->add_flag("!--no-marks", siamese->judgements, "Ignore the browser's similar/not similar marks");
    train->callback([siamese] { runTrainSiamese(*siamese); });
}

}  // namespace sonolab::cli
