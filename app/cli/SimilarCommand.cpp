// `sonolab-cli similar` (a track's nearest neighbours in a space; with --format audacity|sv-csv|jams [--out FILE],
// as "similarity marks" on the query's audio, core/annotations/SimilarityMarks.h) and `sonolab-cli
// evaluate-similarity` (precision@k and mean average precision of a space by label, leaving out each query's own
// group).
#include "Commands.h"

#include "AnnotationOutput.h"
#include "FoldOutput.h"
#include "core/annotations/SimilarityMarks.h"
#include "core/library/LibraryDatabase.h"
#include "core/ml/ContrastivePretraining.h"
#include "core/ml/Trainer.h"
#include "core/pipeline/MetricsJson.h"
#include "core/pipeline/SiameseEvaluation.h"
#include "core/pipeline/SiameseTraining.h"
#include "core/pipeline/SpaceFolds.h"
#include "core/similarity/TrainingPairs.h"
#include "core/similarity/CollectionSpaces.h"
#include "core/similarity/ExactIndex.h"
#include "core/similarity/RetrievalEvaluation.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace sonolab::cli {

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

namespace {

using namespace sonolab::similarity;

struct SimilarOptions {
    std::string db, space = "mfcc", metric = "euclidean", labelSet, featureCache, split, part = "test", format, out;
    std::int64_t track = 0;
    std::size_t k = 10;
    bool json = false, excludeGroup = true, excludeArtist = false;
    std::vector<std::string> labels;
    // evaluate-similarity --folds
    int folds = 0, epochs = 0, threads = 0;
    std::size_t knn = 5;
    double knnReach = 0, knnMinShare = 0;
    std::string foldBy = "group", candidates = "fold";
    std::uint64_t foldSeed = 0;
};

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

// What a user recognises a track by: "artist - title", else the file name.
std::string displayName(const library::TrackRecord& t) {
    if (t.title.empty()) return std::filesystem::path(t.path).filename().string();
    return t.artist.empty() ? t.title : t.artist + " - " + t.title;
}

// The neighbours as marks over the whole query track (the app adds each neighbour's matched window where the space
// compares windows; here the spaces' windows are not loaded).
void writeMarks(const SimilarOptions& o, const library::TrackRecord& query, const std::vector<similarity::Neighbour>& found,
                std::map<std::int64_t, library::TrackRecord>& tracks) {
    std::vector<annotations::NeighbourMark> marks;
    for (const auto& n : found) marks.push_back({.name = displayName(tracks[n.id]), .distance = n.distance});
    emitAnnotations({annotations::similarityMarks(displayName(query), marks, query.durationSeconds)}, o.format, o.out,
                    {.duration = query.durationSeconds,
                     .title = std::filesystem::path(query.path).filename().string(),
                     .tools = "sonolab-cli similar --space " + o.space});
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
    if (!o.format.empty() || !o.out.empty()) {
        writeMarks(o, q, found, tracks);
        return;
    }
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

// One line per label: precision@k, MAP and its queries.
void printPerLabel(const RetrievalReport& report, std::size_t k) {
    for (const auto& l : report.perLabel)
        std::cout << "  " << std::left << std::setw(20) << l.label << std::right << "precision@" << k << " "
                  << l.precisionAtK << "  MAP " << l.meanAveragePrecision << "  (" << l.queries << " queries)\n";
}

nlohmann::json reportJson(const RetrievalReport& report) {
    nlohmann::json out{{"queries", report.queries},
                       {"precision_at_k", report.precisionAtK},
                       {"map", report.meanAveragePrecision},
                       {"chance_precision_at_k", report.chancePrecisionAtK},
                       {"best_precision_at_k", report.bestPrecisionAtK},
                       {"per_label", nlohmann::json::array()}};
    for (const auto& l : report.perLabel)
        out["per_label"].push_back({{"label", l.label}, {"queries", l.queries}, {"precision_at_k", l.precisionAtK},
                                    {"map", l.meanAveragePrecision}});
    return out;
}

// evaluate-similarity --folds K: every labelled track queried once, by a space that never saw its label.
void runEvaluateFolds(const SimilarOptions& o) {
    if (!o.split.empty()) throw Error("evaluate-similarity --folds", "folds hold out their own tracks: leave out --split");
    pipeline::SpaceFoldRequest request{
        .library = o.db,
        .evaluation = {.space = o.space, .metric = o.metric, .labelSet = o.labelSet, .labels = o.labels, .k = o.k,
                       .excludeGroup = o.excludeGroup, .excludeArtist = o.excludeArtist, .featureCache = o.featureCache},
        .folds = o.folds,
        .groupBy = datasets::groupByFromString(o.foldBy),
        .foldSeed = o.foldSeed,
        .candidates = pipeline::parseFoldCandidates(o.candidates),
        .knn = o.knn,
        .knnReach = o.knnReach,
        .knnMinShare = o.knnMinShare,
        .epochs = o.epochs,
        .threads = o.threads};
    Progress progress = stderrProgress();
    FoldProgress printer;
    const auto r = pipeline::crossValidateSpace(request, &printer, &progress);
    for (const auto& [id, why] : r.failures) std::cerr << "track " << id << " skipped: " << why << "\n";
    const auto& p = r.summary.at("precision_at_k");
    const auto& m = r.summary.at("map");
    if (o.json) {
        nlohmann::json out = reportJson(r.pooled);
        out["space"] = o.space;
        out["k"] = o.k;
        out["metric"] = r.metric;
        out["folds"] = nlohmann::json::array();
        for (std::size_t i = 0; i < r.folds.size(); ++i) {
            nlohmann::json f = reportJson(r.folds[i]);
            if (r.retrained) f["reused"] = bool(r.reused[i]);
            if (i < r.knnFolds.size()) f["knn"] = pipeline::reportToJson(r.knnFolds[i]);
            out["folds"].push_back(f);
        }
        out["summary"] = spreadsToJson(r.summary);
        if (r.knn) {
            out["knn"] = pipeline::reportToJson(*r.knn);
            out["knn"]["k"] = o.knn;
        }
        if (const auto& a = r.knnAbstention) {
            out["knn_abstention"] = {{"reach", o.knnReach},        {"min_share", o.knnMinShare},
                                     {"queries", a->queries},      {"voted", a->voted},
                                     {"right_voted", a->rightVoted}, {"right_left", a->rightLeft}};
            if (a->ofVoted) out["knn_abstention"]["voted_report"] = pipeline::reportToJson(*a->ofVoted);
        }
        out["fold_by"] = r.groupBy;
        out["fold_seed"] = o.foldSeed;
        out["candidates"] = o.candidates;
        out["retrained"] = r.retrained;
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::cout << "Space " << o.space << " (" << r.metric << "), " << o.folds << " folds by " << r.groupBy
              << (r.retrained ? ", its recipe trained on each fold's other folds" : "") << "; "
              << r.pooled.queries << " queries, each against "
              << (o.candidates == "fold" ? "its own fold" : "the whole collection") << ", own "
              << (o.excludeArtist ? "artist" : "group") << " left out\n";
    std::cout << std::fixed << std::setprecision(3);
    for (std::size_t i = 0; i < r.folds.size(); ++i)
        std::cout << "  fold " << i + 1 << std::string(14, ' ') << "precision@" << o.k << " " << r.folds[i].precisionAtK
                  << "  MAP " << r.folds[i].meanAveragePrecision << "  (" << r.folds[i].queries << " queries)\n";
    std::cout << "  over folds" << std::string(10, ' ') << "precision@" << o.k << " " << p.mean << " ± " << p.std
              << "  MAP " << m.mean << " ± " << m.std << "\n";
    std::cout << "  every query once" << std::string(4, ' ') << "precision@" << o.k << " " << r.pooled.precisionAtK
              << "  MAP " << r.pooled.meanAveragePrecision << "  (chance " << r.pooled.chancePrecisionAtK
              << ", best possible " << r.pooled.bestPrecisionAtK << ")\n";
    printPerLabel(r.pooled, o.k);
    if (r.knn) {
        const auto& f1 = r.summary.at("knn_macro_f1");
        std::cout << "Classified by the " << o.knn << " nearest tracks of the other folds: macro-F1 " << f1.mean
                  << " ± " << f1.std << " over folds (" << f1.min << " to " << f1.max << ")\n"
                  << std::flush;
        pipeline::printReport(*r.knn, "every query once");
    }
    if (const auto& a = r.knnAbstention) {
        const std::size_t left = a->queries - a->voted;
        std::cout << "With reach " << o.knnReach << " and smallest share " << o.knnMinShare << " (label-by-neighbours): "
                  << a->voted << " of " << a->queries << " queries labelled, " << a->rightVoted << " right ("
                  << (a->voted ? double(a->rightVoted) / double(a->voted) : 0.0) << "); " << left << " left unlabelled, "
                  << a->rightLeft << " of which the vote had right ("
                  << (left ? double(a->rightLeft) / double(left) : 0.0) << ")\n";
        if (a->ofVoted) pipeline::printReport(*a->ofVoted, "the labelled queries");
    }
}

void runEvaluate(const SimilarOptions& o) {
    if (o.folds > 0) return runEvaluateFolds(o);
    library::LibraryDatabase db(o.db);
    // A pretrained (self-supervised) run never saw a label: every track is a fair query.
    if (o.space.rfind("run:", 0) == 0 && o.split.empty() && !ml::isPretrainedRun(o.space.substr(4)))
        std::cerr << "note: scoring a learned space on every track, its training tracks included; add --split SPLIT "
                     "--part test to score it on held-out tracks only, or --folds K to query each track once in a "
                     "space trained without it\n";
    Progress progress = stderrProgress();
    const auto evaluation = pipeline::evaluateSpace(
        db,
        {.space = o.space, .metric = o.metric, .labelSet = o.labelSet, .labels = o.labels, .split = o.split,
         .part = o.part, .k = o.k, .excludeGroup = o.excludeGroup, .excludeArtist = o.excludeArtist,
         .featureCache = o.featureCache},
        &progress);
    for (const auto& [id, why] : evaluation.failures) std::cerr << "track " << id << " skipped: " << why << "\n";
    const auto& report = evaluation.report;
    if (o.json) {
        nlohmann::json out = reportJson(report);
        out["space"] = o.space;
        out["k"] = o.k;
        out["metric"] = evaluation.metric;
        out["tracks"] = evaluation.tracks.size();
        if (!o.split.empty()) {
            out["split"] = o.split;
            out["part"] = o.part;
        }
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::cout << "Space " << o.space << " (" << evaluation.metric << "), " << report.queries << " queries"
              << (o.split.empty() ? "" : " (" + o.part + " part of " + o.split + ": queries and candidates)")
              << ", own " << (o.excludeArtist ? "artist" : "group") << " left out\n";
    std::cout << std::fixed << std::setprecision(3);
    std::cout << "  all" << std::string(17, ' ') << "precision@" << o.k << " " << report.precisionAtK << "  MAP "
              << report.meanAveragePrecision << "  (chance " << report.chancePrecisionAtK << ", best possible "
              << report.bestPrecisionAtK << ")\n";
    printPerLabel(report, o.k);
}

struct SiameseOptions {
    std::string db, task, split, model = "siamese_dense", runDir, loss, featureCache, pairs = "labels", classTable,
        tagWeighting = "tutorial", init;
    int batch = 64, perItem = 5, threads = 0;
    std::optional<int> epochs;           // unset: pipeline::defaultSiameseEpochs (20, or 60 for an encoder)
    std::optional<std::uint64_t> seed;  // unset: the network's 42 and the pairs' 1, as before the option
    std::optional<double> learningRate;  // unset: pipeline::defaultSiameseLearningRate (1e-3, or 3e-4 from --init)
    double margin = 1.0, tripletMargin = 0.2, offset = 0.0;
    bool identity = true, judgements = true;
};

// Prints each epoch as it ends.
struct EpochPrinter : ml::TrainingObserver {
    void onEpoch(const ml::EpochReport& e) override {
        std::cerr << "epoch " << e.epoch + 1 << "/" << e.epochs << "  loss " << e.trainLoss
                  << (e.validationLoss ? "  val " + std::to_string(*e.validationLoss) : std::string());
        for (const auto& [k, v] : e.metrics) std::cerr << "  " << k << " " << v;
        std::cerr << "\n";
    }
};

// Trains a siamese network on the library through core/pipeline: pairs from the split's train part (labels, a class
// table or tag similarity, + identity pairs and the browser's marks), features from the cache, the run stored.
void runTrainSiamese(const SiameseOptions& o) {
    pipeline::SiameseTrainingRequest r;
    r.library = o.db;
    r.task = o.task;
    r.split = o.split;
    r.model = ml::ModelSpec::parse(o.model);
    r.loss = o.loss;
    r.margin = o.margin;
    r.tripletMargin = o.tripletMargin;
    r.pairs.source = pipeline::parseSiamesePairSource(o.pairs);
    r.pairs.perTrack = std::size_t(std::max(1, o.perItem));
    r.pairs.identity = o.identity;
    r.pairs.classTable = o.classTable;
    r.pairs.offset = float(o.offset);
    r.pairs.tagWeighting = pipeline::parseTagWeighting(o.tagWeighting);
    r.includeMarks = o.judgements;
    r.config.epochs = o.epochs.value_or(pipeline::defaultSiameseEpochs(r.model));
    r.config.batchSize = o.batch;
    r.config.learningRate = o.learningRate.value_or(pipeline::defaultSiameseLearningRate(r.model, !o.init.empty()));
    r.config.threads = o.threads;
    r.config.runDir = o.runDir;
    r.config.initRun = o.init;
    if (o.seed) r.config.seed = r.pairs.seed = *o.seed;
    r.featureCache = o.featureCache;
    r.extractionThreads = o.threads;
    Progress progress = stderrProgress();
    EpochPrinter printer;
    const auto result = pipeline::trainSiameseFromLibrary(r, &printer, &progress);
    for (const auto& f : result.failedFiles) std::cerr << f << " (left out)\n";
    std::cerr << result.trainTracks << " training tracks, " << result.trainExamples
              << (result.loss == "triplet" ? " items" : " pairs") << " (" << result.pairsFromMarks
              << " from your marks), " << result.validationExamples << " validation "
              << (result.loss == "triplet" ? "items" : "pairs") << "\n";
    if (result.training.state != ml::TrainingState::Finished)
        throw Error(o.runDir, "training did not finish: " + result.training.message);
    if (result.test)
        std::cout << std::fixed << std::setprecision(3) << "test tracks (" << result.testTracks
                  << ", own group left out): precision@10 " << result.test->precisionAtK << "  MAP "
                  << result.test->meanAveragePrecision << "\n";
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
    auto* format = addAnnotationFormatOption(
        cmd, similar->format,
        "The query and its neighbours as labels of the query's audio, valued with their distances");
    cmd->add_option("--out", similar->out,
                    "Write the marks here instead of printing them (format from --format, else from the extension)");
    format->excludes(cmd->get_option("--json"));
    cmd->get_option("--out")->excludes(cmd->get_option("--json"));
    cmd->callback([similar] { runSimilar(*similar); });

    auto evaluate = std::make_shared<SimilarOptions>();
    CLI::App* eval = app.add_subcommand(
        "evaluate-similarity", "Precision@k and mean average precision of a space by label (own group left out)");
    addCommonOptions(eval, *evaluate);
    eval->add_option("--labels", evaluate->labels, "Labels that define relevance (comma-separated; default: all)")
        ->delimiter(',');
    auto* cv = "Cross-validation (each labelled track queried once, in a space that never saw its label; a "
               "train-siamese run's recipe trains on each fold's other folds, its models kept in RUN/folds)";
    eval->add_option("--folds", evaluate->folds, "K: the labelled tracks in K folds, mean and spread over them (K >= 2)")
        ->check(CLI::Range(2, 1000))
        ->group(cv);
    eval->add_option("--fold-by", evaluate->foldBy, "group (source track) | album: what stays in one fold")
        ->capture_default_str()
        ->group(cv);
    eval->add_option("--fold-seed", evaluate->foldSeed, "Seed of the fold assignment")->capture_default_str()->group(cv);
    eval->add_option("--candidates", evaluate->candidates,
                     "fold: a query ranks the other tracks of its fold (none seen in training) | collection: every "
                     "track of the library, those the fold's space trained on included")
        ->capture_default_str()
        ->group(cv);
    eval->add_option("--knn", evaluate->knn,
                     "Also classify each query by its K nearest tracks of the other folds, as label-by-neighbours "
                     "votes (label by label where tracks have several; 0 = no): macro-F1 and the rest, as "
                     "`evaluate --folds`")
        ->capture_default_str()
        ->group(cv);
    eval->add_option("--knn-reach", evaluate->knnReach,
                     "Also score label-by-neighbours' abstaining rule: a query more isolated from the voters than this "
                     "quantile of the voters are is left unlabelled (0 = off)")
        ->check(CLI::Range(0.0, 1.0))
        ->group(cv);
    eval->add_option("--knn-min-share", evaluate->knnMinShare,
                     "... and one whose winning class has a smaller share of the votes (0 = off)")
        ->check(CLI::Range(0.0, 1.0))
        ->group(cv);
    eval->add_option("--epochs", evaluate->epochs, "Override a train-siamese run's epochs (0 = the run's)")->group(cv);
    eval->add_option("--threads", evaluate->threads, "Training and extraction threads (0 = the run's, all cores)")
        ->group(cv);
    eval->callback([evaluate] { runEvaluate(*evaluate); });

    auto siamese = std::make_shared<SiameseOptions>();
    CLI::App* train = app.add_subcommand(
        "train-siamese", "Train a siamese network on label or tag-similarity pairs (+ your browser marks) for a learned "
                         "similarity space");
    train->add_option("--db", siamese->db, "Library file")->required();
    train->add_option("--task", siamese->task,
                      "Classes whose pairs define similarity, e.g. single:rock,jazz@style (labels, table, triplet) or "
                      "the tag set for --pairs tags, e.g. multi:rock,guitar,vocal@mtat")
        ->required();
    train->add_option("--split", siamese->split,
                      "Split name: pairs from its train part, validation from its validation part, scores on its test part");
    train->add_option("--model", siamese->model,
                      "siamese_dense (MFCC statistics), siamese_cnn (80x80 log-mel), or a spectrogram classifier "
                      "(e.g. compact_cnn) whose encoder learns the space with the triplet loss");
    train->add_option("--init", siamese->init,
                      "Start the encoder from this run, e.g. one made by `pretrain` (same model and features)");
    train->add_option("--out", siamese->runDir, "Run folder")->required();
    train->add_option("--pairs", siamese->pairs,
                      "labels (same class = similar), table (--class-table) or tags (IDF-weighted Dice of the tags)");
    train->add_option("--class-table", siamese->classTable, "CSV of classA,classB,similarity for --pairs table");
    train->add_option("--tag-weighting", siamese->tagWeighting,
                      "tutorial (binary / idf, as ML 4c), idf (binary * idf) or none, for --pairs tags");
    train->add_option("--offset", siamese->offset, "Added to table/tag similarities, clipped to [0,1] (ML 4c: -0.1)");
    train->add_option("--loss", siamese->loss,
                      "contrastive (pairs) or triplet (single tracks, hardest positive and negative in each batch); "
                      "default: triplet for a classifier's encoder, else contrastive");
    train->add_option("--margin", siamese->margin, "Contrastive margin");
    train->add_option("--triplet-margin", siamese->tripletMargin, "Triplet margin");
    train->add_option("--epochs", siamese->epochs, "Epochs (default: 20, or 60 for a classifier's encoder)");
    train->add_option("--batch", siamese->batch, "Batch size");
    train->add_option("--lr", siamese->learningRate,
                      "Learning rate (Adam); default 1e-3, and 3e-4 for a classifier's encoder starting from --init "
                      "(measured best over the whole collection and with album folds; README)");
    train->add_option("--pairs-per-track", siamese->perItem, "Positive + negative pairs drawn per track");
    train->add_option("--threads", siamese->threads, "Intra-op and extraction threads (0 = all cores)");
    train->add_option("--seed", siamese->seed, "Seed of the network's initial weights, its batches and the pairs drawn");
    train->add_option("--features", siamese->featureCache, "Feature cache folder (default: beside the library)");
    train->add_flag("!--no-identity", siamese->identity, "Leave out identity pairs");
    train->add_flag("!--no-marks", siamese->judgements, "Ignore the browser's similar/not similar marks");
    train->callback([siamese] { runTrainSiamese(*siamese); });
}

}  // namespace sonolab::cli
