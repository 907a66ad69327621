// Siamese training from a real (small, generated) library through core/pipeline: WAV files on disk, labels and tags,
// a group-aware split, MFCC statistics through the feature cache, pairs from labels or tag similarity, the loss
// falling, validation retrieval metrics per epoch, held-out test scores, the run stored and usable as a space; the
// held-out evaluation of spaces; and the CLI forms.
#include "core/util/ContentHash.h"
#include "core/library/LibraryDatabase.h"
#include "core/library/TrainingSet.h"
#include "core/ml/SavedModel.h"
#include "core/pipeline/NeighbourLabelling.h"
#include "core/pipeline/SiameseEvaluation.h"
#include "core/pipeline/SiameseTraining.h"
#include "core/pipeline/SpaceFolds.h"
#include "core/similarity/CollectionSpaces.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <set>

using namespace sonolab;
namespace fs = std::filesystem;

namespace {

// 48 one-second clips of three kinds (low hum, high whistle, white noise), 8 source groups of 2 clips per kind;
// groups split 4 train / 2 validation / 2 test per kind. Label set "kind" (single) and tag set "tags" (multi).
struct GeneratedLibrary {
    fs::path file;
    std::set<std::int64_t> train, validation, test;
};

GeneratedLibrary makeLibrary(const fs::path& dir) {
    GeneratedLibrary out;
    out.file = dir / "lib.sqlite";
    library::LibraryDatabase db(out.file);
    db.createLabelSet("kind", library::LabelKind::Single, {"low", "high", "noise"}, "test");
    db.createLabelSet("tags", library::LabelKind::Multi, {"tonal", "deep", "bright", "noisy"}, "test");
    const std::map<std::string, std::vector<std::string>> tagsOf{
        {"low", {"tonal", "deep"}}, {"high", {"tonal", "bright"}}, {"noise", {"noisy", "bright"}}};
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> white(-0.4f, 0.4f);
    std::normal_distribution<float> hiss(0.0f, 0.03f);
    std::vector<library::SplitAssignment> split;
    int n = 0;
    for (const std::string kind : {"low", "high", "noise"}) {
        for (int g = 0; g < 8; ++g) {
            for (int c = 0; c < 2; ++c, ++n) {
                std::vector<float> s;
                if (kind == "noise") {
                    s.resize(22050);
                    for (float& v : s) v = white(rng);
                } else {
                    const double hz = kind == "low" ? 120 + 25 * g + 7 * c : 2500 + 180 * g + 40 * c;
                    s = test::sine(hz, 1.0, 22050, 0.4f);
                    for (float& v : s) v += hiss(rng);
                }
                const fs::path wav = dir / (kind + std::to_string(g) + "-" + std::to_string(c) + ".wav");
                test::writeWav16(wav, s, 22050);
                library::TrackRecord t;
                t.path = wav.generic_string();
                t.contentHash = hashFile(wav);
                t.durationSeconds = 1.0;
                t.group = kind + "-source" + std::to_string(g);
                const auto id = db.upsertTrack(t);
                db.setLabel("kind", id, kind, 1.0, "test");
                for (const auto& tag : tagsOf.at(kind)) db.setLabel("tags", id, tag, 1.0, "test");
                const auto part = g < 4 ? library::SplitPart::Train : g < 6 ? library::SplitPart::Validation
                                                                           : library::SplitPart::Test;
                (part == library::SplitPart::Train ? out.train : part == library::SplitPart::Validation ? out.validation
                                                                                                        : out.test)
                    .insert(id);
                split.push_back({id, part});
            }
        }
    }
    db.writeSplit("grouped", split);
    return out;
}

pipeline::SiameseTrainingRequest request(const fs::path& lib, const fs::path& run, int epochs) {
    pipeline::SiameseTrainingRequest r;
    r.library = lib;
    r.task = "single:low,high,noise@kind";
    r.config.runDir = run;
    r.config.epochs = epochs;
    r.config.batchSize = 16;
    r.config.threads = 1;
    r.config.learningRate = 3e-3;
    r.extractionThreads = 1;
    return r;
}

// Epoch losses of a run as reported live.
struct EpochLog : ml::TrainingObserver {
    std::vector<ml::EpochReport> epochs;
    int batches = 0;
    void onBatch(const ml::BatchReport&) override { ++batches; }
    void onEpoch(const ml::EpochReport& r) override { epochs.push_back(r); }
};

}  // namespace

TEST(SiameseTraining, LabelPairsLossFallsValidationPrecisionIsReportedAndTheRunIsStored) {
    const auto dir = test::freshDir("pipeline-siamese-labels");
    const auto lib = makeLibrary(dir);
    const auto run = dir / "run";
    EpochLog log;
    auto result = pipeline::trainSiameseFromLibrary(request(lib.file, run, 10), &log);
    ASSERT_EQ(result.training.state, ml::TrainingState::Finished) << result.training.message;
    EXPECT_EQ(result.trainTracks, 24u);
    EXPECT_EQ(result.validationTracks, 12u);
    EXPECT_EQ(result.testTracks, 12u);
    EXPECT_EQ(result.trainExamples, 24u * (2 * 5 + 1));  // 5 positives + 5 negatives + 1 identity pair per track
    EXPECT_TRUE(result.failedFiles.empty());

    // The loss falls, and every epoch carries the embedding's precision@5 over the validation tracks.
    ASSERT_EQ(log.epochs.size(), 10u);
    EXPECT_GT(log.batches, 0);
    EXPECT_LT(log.epochs.back().trainLoss, 0.6 * log.epochs.front().trainLoss)
        << log.epochs.front().trainLoss << " -> " << log.epochs.back().trainLoss;
    for (const auto& e : log.epochs) {
        ASSERT_TRUE(e.metrics.count("precision_at_5")) << "epoch " << e.epoch;
        EXPECT_GE(e.metrics.at("precision_at_5"), 0.0);
        EXPECT_LE(e.metrics.at("precision_at_5"), 1.0);
        EXPECT_TRUE(e.validationLoss.has_value());
    }
    // Hum, whistle and noise are far apart in MFCC space: the learned space ranks the other source of the same kind
    // first on the held-out tracks (chance MAP with 2 relevant among 10 candidates is about 0.3).
    EXPECT_GE(log.epochs.back().metrics.at("map"), 0.8);
    ASSERT_TRUE(result.test.has_value());
    EXPECT_EQ(result.test->queries, 12u);
    EXPECT_GE(result.test->meanAveragePrecision, 0.8);

    // Stored: the run folder (usable as a space), a finished row with settings, curves and test metrics.
    const auto info = ml::readSavedModelInfo(run);
    EXPECT_EQ(info.model.architecture, "siamese_dense");
    EXPECT_EQ(info.extra.at("siamese_pairs"), "labels");
    EXPECT_EQ(info.extra.at("split"), "grouped");
    EXPECT_TRUE(info.metrics.count("test_precision_at_10"));
    library::LibraryDatabase db(lib.file);
    auto row = db.run(result.runId);
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->status, "finished");
    EXPECT_EQ(row->task, "siamese:single:low,high,noise@kind");
    const auto settings = nlohmann::json::parse(row->settingsJson);
    EXPECT_EQ(settings["siamese"]["pairs"], "labels");
    EXPECT_EQ(settings["siamese"]["loss"], "contrastive");
    EXPECT_NE(row->metricsJson.find("test_map"), std::string::npos);
    EXPECT_EQ(db.runPoints(result.runId, "train/loss").size(), 10u);
    EXPECT_EQ(db.runPoints(result.runId, "validation/precision_at_5").size(), 10u);
    EXPECT_EQ(db.runPoints(result.runId, "train/batch_loss").size(), std::size_t(log.batches));

    // The learned space on the test part only: the same numbers as the pipeline's own test evaluation.
    auto ev = pipeline::evaluateSpace(db, {.space = "run:" + run.string(), .labelSet = "kind", .split = "grouped",
                                           .part = "test", .k = 10});
    EXPECT_EQ(ev.report.queries, 12u);
    EXPECT_NEAR(ev.report.meanAveragePrecision, result.test->meanAveragePrecision, 1e-5);
    EXPECT_NEAR(ev.report.precisionAtK, result.test->precisionAtK, 1e-5);
}

TEST(SiameseTraining, TripletLossWithHardNegativesTrainsOnSingleTracks) {
    const auto dir = test::freshDir("pipeline-siamese-triplet");
    const auto lib = makeLibrary(dir);
    auto r = request(lib.file, dir / "run", 10);
    r.loss = "triplet";
    EpochLog log;
    auto result = pipeline::trainSiameseFromLibrary(r, &log);
    ASSERT_EQ(result.training.state, ml::TrainingState::Finished) << result.training.message;
    EXPECT_EQ(result.trainExamples, 24u);  // one item per track; triplets are mined in each batch
    EXPECT_EQ(result.validationExamples, 12u);
    ASSERT_EQ(log.epochs.size(), 10u);
    const double first = (log.epochs[0].trainLoss + log.epochs[1].trainLoss) / 2;
    const double last = (log.epochs[8].trainLoss + log.epochs[9].trainLoss) / 2;
    EXPECT_LT(last, 0.7 * first) << first << " -> " << last;
    EXPECT_EQ(ml::readSavedModelInfo(dir / "run").model.params.at("input"), "item");
    ASSERT_TRUE(result.test.has_value());
    EXPECT_GE(result.test->meanAveragePrecision, 0.7);
}

TEST(SiameseTraining, TagPairsMatchHandComputedIdfWeightedDice) {
    // Four tracks tagged a,b | a,c | b,c,d | a (no audio needed to draw pairs).
    const auto dir = test::freshDir("pipeline-siamese-tag-pairs");
    library::LibraryDatabase db(dir / "tiny.sqlite");
    db.createLabelSet("tiny", library::LabelKind::Multi, {"a", "b", "c", "d"}, "test");
    const std::vector<std::vector<std::string>> tags{{"a", "b"}, {"a", "c"}, {"b", "c", "d"}, {"a"}};
    for (std::size_t i = 0; i < tags.size(); ++i) {
        library::TrackRecord t;
        t.path = (dir / ("t" + std::to_string(i) + ".wav")).string();
        const auto id = db.upsertTrack(t);
        for (const auto& tag : tags[i]) db.setLabel("tiny", id, tag, 1.0, "test");
    }
    const auto set = library::loadTrainingSet(db, "multi:a,b,c,d@tiny", "");
    ASSERT_EQ(set.examples.size(), 4u);

    // The tutorial's weighting by hand: tf = how many tracks carry the tag, idf = ln(N / tf), weight = 1 / idf,
    // similarity = 2 * (weight of the shared tags) / (weight of the tags of one + of the other).
    const std::map<std::string, double> w{{"a", 1 / std::log(4.0 / 3)}, {"b", 1 / std::log(2.0)},
                                          {"c", 1 / std::log(2.0)}, {"d", 1 / std::log(4.0)}};
    auto hand = [&](std::size_t i, std::size_t j) {
        if (i == j) return 1.0;
        double shared = 0, mi = 0, mj = 0;
        for (const auto& t : tags[i]) mi += w.at(t);
        for (const auto& t : tags[j]) {
            mj += w.at(t);
            if (std::count(tags[i].begin(), tags[i].end(), t)) shared += w.at(t);
        }
        return 2 * shared / (mi + mj);
    };
    pipeline::SiamesePairOptions o;
    o.source = pipeline::SiamesePairSource::Tags;
    o.perTrack = 3;
    o.tagCandidates = 1;  // positive = the most similar other track, negative = the least similar
    o.identity = true;
    const auto pairs = pipeline::siamesePairs(set, set.examples, o);
    ASSERT_EQ(pairs.size(), 4u * (2 * 3 + 1));
    std::map<std::size_t, std::set<std::size_t>> partners;
    for (const auto& p : pairs) {
        EXPECT_NEAR(p.target, hand(p.a, p.b), 1e-5) << p.a << "," << p.b;
        if (p.a != p.b) partners[p.a].insert(p.b);
    }
    // Track 0 (a,b) is most like track 3 (a: the common tag weighs most under 1/idf) and least like track 2.
    EXPECT_EQ(partners[0], (std::set<std::size_t>{3, 2}));
    EXPECT_EQ(partners[1], (std::set<std::size_t>{3, 2}));
    EXPECT_GT(hand(0, 3), hand(0, 1));
    EXPECT_DOUBLE_EQ(hand(2, 3), 0.0);

    // ML 4c's offset: similarity - 0.1, clipped at 0; identity pairs stay 1.
    o.offset = -0.1f;
    for (const auto& p : pipeline::siamesePairs(set, set.examples, o))
        EXPECT_NEAR(p.target, p.a == p.b ? 1.0 : std::max(0.0, hand(p.a, p.b) - 0.1), 1e-5);
}

TEST(SiameseTraining, TagSimilarityPairsTrainAndRefusalsAreClear) {
    const auto dir = test::freshDir("pipeline-siamese-tags");
    const auto lib = makeLibrary(dir);
    auto r = request(lib.file, dir / "run", 6);
    r.task = "multi:tonal,deep,bright,noisy@tags";
    r.pairs.source = pipeline::SiamesePairSource::Tags;
    EpochLog log;
    auto result = pipeline::trainSiameseFromLibrary(r, &log);
    ASSERT_EQ(result.training.state, ml::TrainingState::Finished) << result.training.message;
    ASSERT_EQ(log.epochs.size(), 6u);
    EXPECT_LT(log.epochs.back().trainLoss, log.epochs.front().trainLoss);
    EXPECT_TRUE(log.epochs.back().metrics.count("precision_at_5"));
    EXPECT_EQ(ml::readSavedModelInfo(dir / "run").extra.at("siamese_pairs"), "tags");

    auto bad = request(lib.file, dir / "bad", 1);
    bad.task = "multi:tonal,deep,bright,noisy@tags";  // several tags per track: not label pairs
    EXPECT_THROW(pipeline::trainSiameseFromLibrary(bad), Error);
    bad = request(lib.file, dir / "bad", 1);
    bad.pairs.source = pipeline::SiamesePairSource::Tags;  // a single: task has no tags
    EXPECT_THROW(pipeline::trainSiameseFromLibrary(bad), Error);
    bad = request(lib.file, dir / "bad", 1);
    bad.loss = "triplet";
    bad.pairs.source = pipeline::SiamesePairSource::Tags;
    EXPECT_THROW(pipeline::trainSiameseFromLibrary(bad), Error);
    bad = request(lib.file, dir / "bad", 1);
    bad.model = ml::ModelSpec::parse("dense");
    EXPECT_THROW(pipeline::trainSiameseFromLibrary(bad), Error);
    bad = request(lib.file, dir / "bad", 1);
    bad.pairs.source = pipeline::SiamesePairSource::ClassTable;  // no table file
    EXPECT_THROW(pipeline::trainSiameseFromLibrary(bad), Error);
    EXPECT_THROW(pipeline::parseSiamesePairSource("playlists"), Error);
}

TEST(SpaceEvaluation, HeldOutPartUsesOnlyItsTracksAsQueriesAndCandidates) {
    const auto dir = test::freshDir("pipeline-space-evaluation");
    const auto lib = makeLibrary(dir);
    library::LibraryDatabase db(lib.file);
    auto all = pipeline::evaluateSpace(db, {.space = "mfcc", .labelSet = "kind", .k = 5});
    EXPECT_EQ(all.tracks.size(), 48u);
    EXPECT_EQ(all.report.queries, 48u);
    auto held = pipeline::evaluateSpace(db, {.space = "mfcc", .labelSet = "kind", .split = "grouped", .part = "test",
                                             .k = 5});
    EXPECT_EQ(std::set<std::int64_t>(held.tracks.begin(), held.tracks.end()), lib.test);
    EXPECT_EQ(held.report.queries, 12u);
    // Each test query has 10 candidates (its own source left out), 2 of them relevant: precision@5 is at most 2/5.
    EXPECT_LE(held.report.precisionAtK, 0.4 + 1e-9);
    EXPECT_GT(held.report.meanAveragePrecision, 0.5);  // MFCC statistics tell hum, whistle and noise apart
    auto validation = pipeline::evaluateSpace(db, {.space = "mfcc", .labelSet = "kind", .split = "grouped",
                                                   .part = "validation", .k = 5});
    EXPECT_EQ(std::set<std::int64_t>(validation.tracks.begin(), validation.tracks.end()), lib.validation);
    EXPECT_THROW(pipeline::evaluateSpace(db, {.space = "mfcc", .split = "nope", .part = "test"}), Error);

    // The CLI form reports the same subset.
    const std::string cli = test::cliPath();
    int status = -1;
    const std::string out = test::capture(cli + " evaluate-similarity --db " + lib.file.string() +
                                              " --space mfcc --label-set kind --split grouped --part test --k 5 --json",
                                          &status);
    ASSERT_EQ(status, 0) << out;
    const auto json = nlohmann::json::parse(out);
    EXPECT_EQ(json["queries"], 12);
    EXPECT_EQ(json["tracks"], 12);
    EXPECT_EQ(json["part"], "test");
    EXPECT_NEAR(json["map"].get<double>(), held.report.meanAveragePrecision, 1e-6);
}

// A label the audio says nothing about: "heads" or "tails" by source group, drawn once. A space trained on it can only
// memorise its training tracks, so it ranks them by the label far above chance and unseen tracks at chance: the
// check that a fold's space never saw the labels of the tracks it is scored on.
void addCoinLabels(const fs::path& file) {
    library::LibraryDatabase db(file);
    db.createLabelSet("coin", library::LabelKind::Single, {"heads", "tails"}, "test");
    std::mt19937 rng(5);
    std::map<std::string, std::string> sideOf;
    for (const auto& t : db.tracks()) {
        if (!sideOf.count(t.group)) sideOf[t.group] = rng() % 2 ? "heads" : "tails";
        db.setLabel("coin", t.id, sideOf[t.group], 1.0, "test");
    }
}

TEST(SpaceFolds, EachTrackIsQueriedOnceInASpaceTrainedWithoutIt) {
    const auto dir = test::freshDir("pipeline-space-folds");
    const auto lib = makeLibrary(dir);
    addCoinLabels(lib.file);
    auto r = request(lib.file, dir / "run", 60);
    r.task = "single:heads,tails@coin";
    r.loss = "triplet";
    const auto trained = pipeline::trainSiameseFromLibrary(r);
    ASSERT_EQ(trained.training.state, ml::TrainingState::Finished) << trained.training.message;
    library::LibraryDatabase db(lib.file);
    const auto runsBefore = db.runs().size();

    // On its own training tracks the space has learnt the coin; scored that way it looks far better than chance.
    const auto inSample = pipeline::evaluateSpace(
        db, {.space = "run:" + (dir / "run").string(), .labelSet = "coin", .split = "grouped", .part = "train", .k = 5});
    EXPECT_GE(inSample.report.precisionAtK, 0.8);

    pipeline::SpaceFoldRequest folds{.library = lib.file,
                                     .evaluation = {.space = "run:" + (dir / "run").string(), .labelSet = "coin", .k = 5},
                                     .folds = 4,
                                     .candidates = pipeline::FoldCandidates::Collection};
    const auto first = pipeline::crossValidateSpace(folds);
    EXPECT_TRUE(first.retrained);
    ASSERT_EQ(first.folds.size(), 4u);
    EXPECT_EQ(first.pooled.queries, 48u);  // every labelled track once
    std::size_t queries = 0;
    for (const auto& f : first.folds) queries += f.queries;
    EXPECT_EQ(queries, 48u);
    EXPECT_EQ(first.reused, std::vector<bool>(4, false));
    // Queried by models that never saw their coin, the tracks rank near chance (about 0.5), however well the
    // training tracks were learnt.
    EXPECT_LT(first.pooled.precisionAtK, 0.7);
    EXPECT_LT(first.pooled.precisionAtK, inSample.report.precisionAtK - 0.2);
    EXPECT_NEAR(first.pooled.chancePrecisionAtK, 0.5, 0.1);
    for (int i = 1; i <= 4; ++i)
        EXPECT_TRUE(ml::readSavedModelInfo(dir / "run" / "folds" / ("fold-" + std::to_string(i))).extra.count("fold_member"));
    EXPECT_EQ(db.runs().size(), runsBefore);  // fold models are not the user's runs

    // Again: the fold models are reused, the figures the same.
    const auto second = pipeline::crossValidateSpace(folds);
    EXPECT_EQ(second.reused, std::vector<bool>(4, true));
    EXPECT_DOUBLE_EQ(second.pooled.precisionAtK, first.pooled.precisionAtK);
    // A track labelled again: its labels are no longer what the stored models learnt, so they train again.
    {
        const auto track = db.tracks().front();
        const auto side = db.positiveLabels("coin").at(track.id).front();
        db.setLabel("coin", track.id, side, 0.0, "test");
        db.setLabel("coin", track.id, side == "heads" ? "tails" : "heads", 1.0, "test");
    }
    EXPECT_EQ(pipeline::crossValidateSpace(folds).reused, std::vector<bool>(4, false));

    // A space that never saw a label is built once; against the whole collection, each query once gives the figure
    // of the whole-collection evaluation exactly.
    auto mfcc = folds;
    mfcc.evaluation = {.space = "mfcc", .labelSet = "kind", .k = 5};
    const auto byFolds = pipeline::crossValidateSpace(mfcc);
    EXPECT_FALSE(byFolds.retrained);
    const auto whole = pipeline::evaluateSpace(db, {.space = "mfcc", .labelSet = "kind", .k = 5});
    EXPECT_NEAR(byFolds.pooled.precisionAtK, whole.report.precisionAtK, 1e-12);
    EXPECT_NEAR(byFolds.pooled.meanAveragePrecision, whole.report.meanAveragePrecision, 1e-12);
    // ... and classifies each track by its 5 nearest tracks of the other folds: the confusion matrix of a plain
    // majority vote over Euclidean distances in the same space.
    ASSERT_TRUE(byFolds.knn.has_value());
    const auto space = similarity::buildCollectionSpace(db, "mfcc");
    const std::vector<std::string> kinds{"high", "low", "noise"};  // the classes, sorted
    std::vector<std::vector<std::size_t>> confusion(3, std::vector<std::size_t>(3, 0));
    std::size_t unanimous = 0, rightUnanimous = 0, rightSplit = 0;  // for the abstaining rule below
    const auto kindOf = db.positiveLabels("kind");
    const auto classOf = [&](std::int64_t id) {
        return std::size_t(std::find(kinds.begin(), kinds.end(), kindOf.at(id).front()) - kinds.begin());
    };
    for (std::size_t q = 0; q < space.vectors.rows(); ++q) {
        std::vector<std::pair<double, std::size_t>> byDistance;
        for (std::size_t c = 0; c < space.vectors.rows(); ++c) {
            if (byFolds.foldOfTrack.at(space.vectors.id(c)) == byFolds.foldOfTrack.at(space.vectors.id(q))) continue;
            double d = 0;
            for (std::size_t j = 0; j < space.vectors.dim(); ++j)
                d += std::pow(double(space.vectors.row(q)[j]) - double(space.vectors.row(c)[j]), 2);
            byDistance.push_back({d, c});
        }
        std::sort(byDistance.begin(), byDistance.end());
        std::vector<int> votes(3, 0);
        for (std::size_t i = 0; i < 5; ++i) ++votes[classOf(space.vectors.id(byDistance[i].second))];
        const auto predicted = std::size_t(std::max_element(votes.begin(), votes.end()) - votes.begin());
        ++confusion[classOf(space.vectors.id(q))][predicted];
        const bool right = predicted == classOf(space.vectors.id(q));
        if (votes[predicted] == 5) {
            ++unanimous;
            rightUnanimous += right;
        } else {
            rightSplit += right;
        }
    }
    EXPECT_EQ(byFolds.knn->confusion, confusion);
    EXPECT_EQ(byFolds.knn->examples, 48u);
    EXPECT_EQ(byFolds.knnFolds.size(), 4u);
    EXPECT_TRUE(byFolds.summary.count("knn_macro_f1"));
    EXPECT_FALSE(byFolds.knnAbstention.has_value());
    // label-by-neighbours' rule scored on the same votes: asking for all 5 votes keeps the unanimous queries.
    auto strict = mfcc;
    strict.knnMinShare = 1.0;
    const auto byStrictRule = pipeline::crossValidateSpace(strict);
    ASSERT_TRUE(byStrictRule.knnAbstention.has_value());
    const auto& rule = *byStrictRule.knnAbstention;
    EXPECT_EQ(rule.queries, 48u);
    EXPECT_EQ(rule.voted, unanimous);
    EXPECT_EQ(rule.rightVoted, rightUnanimous);
    EXPECT_EQ(rule.rightLeft, rightSplit);
    ASSERT_LT(unanimous, 48u);  // some votes are split, or the check says nothing
    ASSERT_TRUE(rule.ofVoted.has_value());
    EXPECT_EQ(rule.ofVoted->examples, unanimous);
    // A multi-label set is voted on label by label: a tag is named when at least 3 of the 5 nearest carry it, and a
    // query counts as right (subset accuracy) when the named tags are exactly its own.
    auto tagged = mfcc;
    tagged.evaluation.labelSet = "tags";
    const auto byTags = pipeline::crossValidateSpace(tagged);
    ASSERT_TRUE(byTags.knn.has_value());
    EXPECT_EQ(byTags.knn->kind, TaskKind::MultiLabel);
    EXPECT_EQ(byTags.knn->examples, 48u);
    const auto tagsOf = db.positiveLabels("tags");
    std::size_t exactTags = 0;
    for (std::size_t q = 0; q < space.vectors.rows(); ++q) {
        const auto qid = space.vectors.id(q);
        std::vector<std::pair<double, std::int64_t>> byDistance;
        for (std::size_t c = 0; c < space.vectors.rows(); ++c) {
            const auto cid = space.vectors.id(c);
            if (byTags.foldOfTrack.at(cid) == byTags.foldOfTrack.at(qid)) continue;
            double d = 0;
            for (std::size_t j = 0; j < space.vectors.dim(); ++j)
                d += std::pow(double(space.vectors.row(q)[j]) - double(space.vectors.row(c)[j]), 2);
            byDistance.push_back({d, cid});
        }
        std::sort(byDistance.begin(), byDistance.end());
        std::map<std::string, int> carried;
        for (std::size_t i = 0; i < 5; ++i)
            for (const auto& tag : tagsOf.at(byDistance[i].second)) ++carried[tag];
        std::set<std::string> named, own(tagsOf.at(qid).begin(), tagsOf.at(qid).end());
        for (const auto& [tag, n] : carried)
            if (n >= 3) named.insert(tag);
        exactTags += named == own;
    }
    EXPECT_NEAR(byTags.knn->accuracy, double(exactTags) / 48.0, 1e-9);
    EXPECT_GT(exactTags, 24u);  // MFCC statistics tell the three kinds' tag sets apart, mostly

    // On the coin, classifying unseen tracks is a coin toss too.
    ASSERT_TRUE(first.knn.has_value());
    EXPECT_LT(first.knn->macroF1, 0.75);

    // Against its own fold only, a query has fewer candidates of its kind: at best 4 of 5 with 4 folds of whole groups.
    mfcc.candidates = pipeline::FoldCandidates::Fold;
    const auto withinFolds = pipeline::crossValidateSpace(mfcc);
    EXPECT_EQ(withinFolds.pooled.queries, 48u);
    EXPECT_LT(withinFolds.pooled.bestPrecisionAtK, 1.0);

    // A classifier's space was trained on labels in a way folds do not repeat: refused, naming what to use.
    fs::copy(dir / "run", dir / "classifier", fs::copy_options::recursive);
    auto info = ml::readSavedModelInfo(dir / "classifier");
    info.extra.erase("siamese_loss");
    ml::writeSavedModelInfo(dir / "classifier", info);
    auto refused = folds;
    refused.evaluation.space = "run:" + (dir / "classifier").string();
    try {
        pipeline::crossValidateSpace(refused);
        ADD_FAILURE() << "a classifier run was cross-validated as a space";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("evaluate --folds"), std::string::npos) << e.what();
    }

    // The CLI form: JSON with each fold, the summary and the pooled figure; --split is refused with --folds.
    int status = -1;
    const std::string cli = test::cliPath() + " evaluate-similarity --db " + lib.file.string() +
                            " --space mfcc --label-set kind --k 5 --folds 4 --candidates collection";
    const std::string out = test::capture(cli + " --json 2>/dev/null", &status);
    ASSERT_EQ(status, 0) << out;
    const auto json = nlohmann::json::parse(out);
    EXPECT_EQ(json["queries"], 48);
    EXPECT_EQ(json["folds"].size(), 4u);
    EXPECT_NEAR(json["precision_at_k"].get<double>(), whole.report.precisionAtK, 1e-9);
    EXPECT_TRUE(json["summary"]["precision_at_k"].contains("std"));
    EXPECT_NEAR(json["knn"]["macro_f1"].get<double>(), byFolds.knn->macroF1, 1e-9);
    EXPECT_EQ(json["folds"][0]["knn"]["confusion"].size(), 3u);
    const auto strictJson = nlohmann::json::parse(test::capture(cli + " --knn-min-share 1 --json 2>/dev/null", &status));
    EXPECT_EQ(strictJson["knn_abstention"]["voted"], unanimous);
    EXPECT_EQ(strictJson["knn_abstention"]["right_left"], rightSplit);
    const std::string split = test::capture(cli + " --split grouped 2>&1", &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(split.find("--split"), std::string::npos) << split;
}

TEST(SiameseCli, TrainSiameseOnTagPairsThenSearchTheRunsSpace) {
    const auto dir = test::freshDir("pipeline-siamese-cli");
    const auto lib = makeLibrary(dir);
    const std::string cli = test::cliPath();
    const auto run = dir / "run";
    int status = -1;
    const std::string out = test::capture(
        cli + " train-siamese --db " + lib.file.string() + " --task multi:tonal,deep,bright,noisy@tags --pairs tags" +
            " --split grouped --model siamese_dense --out " + run.string() + " --epochs 3 --threads 1 2>&1",
        &status);
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("epoch 3/3"), std::string::npos) << out;
    EXPECT_NE(out.find("precision_at_5"), std::string::npos) << out;
    EXPECT_NE(out.find("search it with --space run:"), std::string::npos) << out;
    const std::string similar =
        test::capture(cli + " similar --db " + lib.file.string() + " --space run:" + run.string() + " --track 1 --k 3 --json",
                      &status);
    ASSERT_EQ(status, 0) << similar;
    EXPECT_EQ(nlohmann::json::parse(similar)["neighbours"].size(), 3u);
    const std::string bad = test::capture(cli + " train-siamese --db " + lib.file.string() +
                                              " --task single:low,high@kind --pairs playlists --out " +
                                              (dir / "bad").string() + " 2>&1",
                                          &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(bad.find("playlists"), std::string::npos) << bad;
}

namespace {

// Takes away every label in `set` of the generated tracks `hide` picks (by kind and source number g of KIND<g>-<c>),
// and returns what they were: the truth a vote is checked against.
std::map<std::int64_t, std::vector<std::string>> hideLabels(
    const fs::path& file, const std::string& set, const std::function<bool(const std::string& kind, char g)>& hide) {
    library::LibraryDatabase db(file);
    const auto labels = db.positiveLabels(set);
    const auto kinds = db.positiveLabels("kind");
    std::map<std::int64_t, std::vector<std::string>> hidden;
    for (const auto& t : db.tracks()) {
        const std::string stem = fs::path(t.path).stem().string();
        if (!hide(kinds.at(t.id).front(), stem[stem.find('-') - 1])) continue;
        hidden[t.id] = labels.at(t.id);
        for (const auto& l : hidden[t.id]) db.removeLabel(set, t.id, l);
    }
    return hidden;
}

// `sonolab-cli library label-by-neighbours` on the generated library in MFCC statistics, one thread; its stdout.
std::string labelByNeighboursCli(const fs::path& file, const std::string& labels, const std::string& into,
                                 const std::string& options, int* status) {
    return test::capture(test::cliPath() + " library label-by-neighbours --db " + file.string() + " --labels " + labels +
                             " --into " + into + " --space mfcc --threads 1 " + options + " 2>/dev/null",
                         status);
}

}  // namespace

// `library label-by-neighbours`: the tracks without a label get the class of their 5 nearest labelled tracks, in a new
// single-label set, each label's source naming its vote; the labels they voted with stay as they were, and what would
// overwrite labels is refused before anything is written.
TEST(NeighbourLabelling, UnlabelledTracksTakeTheVoteOfTheirNearestLabelledTracksIntoANewSet) {
    const auto dir = test::freshDir("pipeline-neighbour-labelling");
    const auto lib = makeLibrary(dir);
    // Sources 2 and 5 of each kind lose their labels (12 tracks): inside the range of pitches the labelled tracks
    // span, where MFCC statistics place them among their kind.
    std::map<std::int64_t, std::string> truth;
    for (const auto& [id, labels] : hideLabels(lib.file, "kind", [](auto&, char g) { return g == '2' || g == '5'; }))
        truth[id] = labels.front();
    ASSERT_EQ(truth.size(), 12u);
    pipeline::NeighbourLabellingRequest request{.library = lib.file, .space = "mfcc", .labelSet = "kind",
                                                .into = "kind-knn", .threads = 1};
    const auto r = pipeline::labelByNeighbours(request);
    EXPECT_EQ(r.voters, 36u);
    ASSERT_EQ(r.labelsOf.size(), 12u);
    EXPECT_EQ(r.perClass, (std::map<std::string, std::size_t>{{"high", 4}, {"low", 4}, {"noise", 4}}));
    library::LibraryDatabase db(lib.file);
    const auto written = db.positiveLabels("kind-knn");
    for (const auto& [id, kind] : truth) {
        ASSERT_EQ(r.labelsOf.at(id).size(), 1u) << id;
        EXPECT_EQ(r.labelsOf.at(id).front().label, kind) << id;
        ASSERT_TRUE(written.count(id)) << id;
        EXPECT_EQ(written.at(id), std::vector<std::string>{kind});
        const int votes = int(std::lround(r.labelsOf.at(id).front().share * 5));  // the winner's votes, as its source says
        EXPECT_GE(votes, 2);
        for (const auto& l : db.labelsOfTrack(id))
            if (l.labelSet == "kind-knn")
                EXPECT_EQ(l.source, "k-NN: " + std::to_string(votes) + " of 5 nearest labelled in mfcc");
    }
    EXPECT_EQ(db.labelSet("kind-knn")->kind, library::LabelKind::Single);
    EXPECT_EQ(db.labelSet("kind-knn")->classes, db.labelSet("kind")->classes);
    EXPECT_EQ(db.positiveLabels("kind").size(), 48u);  // members; the 12 without a positive label stay so
    std::size_t stillLabelled = 0;
    for (const auto& [id, labels] : db.positiveLabels("kind")) stillLabelled += !labels.empty();
    EXPECT_EQ(stillLabelled, 36u);

    auto refusal = [&](const std::function<void(pipeline::NeighbourLabellingRequest&)>& change) {
        auto bad = request;
        change(bad);
        try {
            pipeline::labelByNeighbours(bad);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(refusal([](auto&) {}).find("exists already"), std::string::npos);
    EXPECT_NE(refusal([](auto& b) { b.into = "kind"; }).find("never overwrite"), std::string::npos);
    EXPECT_NE(refusal([](auto& b) { b.labelSet = "mood"; }).find("no label set called 'mood'"), std::string::npos);
    request.replace = true;
    request.rule.k = 1;
    EXPECT_EQ(pipeline::labelByNeighbours(request).labelsOf.size(), 12u);
    // k 0: chosen from the labels; every candidate scored, the tracks labelled as well.
    request.rule.k = 0;
    const auto chosen = pipeline::labelByNeighbours(request);
    EXPECT_EQ(chosen.macroF1OfK.size(), 5u);
    ASSERT_TRUE(chosen.macroF1OfK.count(chosen.k)) << chosen.k;
    for (const auto& [k, f1] : chosen.macroF1OfK) EXPECT_LE(f1, chosen.macroF1OfK.at(chosen.k)) << k;
    for (const auto& [id, kind] : truth) EXPECT_EQ(chosen.labelsOf.at(id).front().label, kind) << id;

    // The command line: the same vote, as JSON.
    int status = 0;
    const std::string out = labelByNeighboursCli(lib.file, "kind", "kind-cli", "--json", &status);
    ASSERT_EQ(status, 0) << out;
    const auto json = nlohmann::json::parse(out);
    EXPECT_EQ(json.at("per_class").at("noise"), 4);
    EXPECT_EQ(json.at("tracks").size(), 12u);
    EXPECT_EQ(json.at("voters"), 36);
}

TEST(NeighbourLabelling, TracksOfAKindNobodyLabelledAreLeftUnlabelledNotCalledTheNearestClass) {
    const auto dir = test::freshDir("pipeline-neighbour-none-of-these");
    const auto lib = makeLibrary(dir);
    // Noise loses every label (16 tracks), low and high their sources 2 and 5 (8 tracks): only tones vote.
    std::map<std::int64_t, std::string> truth;
    for (const auto& [id, labels] :
         hideLabels(lib.file, "kind", [](auto& kind, char g) { return kind == "noise" || g == '2' || g == '5'; }))
        truth[id] = labels.front();
    ASSERT_EQ(truth.size(), 24u);
    pipeline::NeighbourLabellingRequest request{.library = lib.file, .space = "mfcc", .labelSet = "kind",
                                                .into = "kind-knn", .threads = 1};
    const auto r = pipeline::labelByNeighbours(request);
    EXPECT_EQ(r.voters, 24u);
    for (const auto& [id, kind] : truth) {
        if (kind == "noise") {
            EXPECT_FALSE(r.labelsOf.count(id)) << id << " called " << r.labelsOf.at(id).front().label;
            ASSERT_TRUE(r.abstained.count(id)) << id;
            EXPECT_NE(r.abstained.at(id).find("none of these"), std::string::npos) << r.abstained.at(id);
            EXPECT_GT(r.isolationOf.at(id), r.reach) << id;
        } else {
            ASSERT_TRUE(r.labelsOf.count(id)) << id << ": " << (r.abstained.count(id) ? r.abstained.at(id) : "");
            EXPECT_EQ(r.labelsOf.at(id).front().label, kind) << id;
        }
    }
    EXPECT_EQ(r.perClass, (std::map<std::string, std::size_t>{{"high", 4}, {"low", 4}}));
    library::LibraryDatabase db(lib.file);
    EXPECT_EQ(db.positiveLabels("kind-knn").size(), 8u);  // the abstained are not written

    // Reach 0: every track is voted on, the noise called by its nearest tones.
    request.replace = true;
    request.rule.reach = 0;
    const auto always = pipeline::labelByNeighbours(request);
    EXPECT_EQ(always.labelsOf.size(), 24u);
    EXPECT_TRUE(always.abstained.empty());

    // The command line lists what it left, and why.
    int status = 0;
    const std::string out = labelByNeighboursCli(lib.file, "kind", "kind-cli", "--json", &status);
    ASSERT_EQ(status, 0) << out;
    const auto json = nlohmann::json::parse(out);
    EXPECT_EQ(json.at("tracks").size(), 8u);
    EXPECT_EQ(json.at("left_unlabelled").size(), 16u);
    EXPECT_EQ(json.at("reach"), 0.95);
    const std::string text = labelByNeighboursCli(lib.file, "kind", "kind-text", "", &status);
    EXPECT_NE(text.find("16 tracks left unlabelled"), std::string::npos) << text;
    const auto chosen = nlohmann::json::parse(labelByNeighboursCli(lib.file, "kind", "kind-auto", "--k 0 --json", &status));
    EXPECT_EQ(chosen.at("macro_f1_of_k").size(), 5u);
    EXPECT_TRUE(chosen.at("macro_f1_of_k").contains(std::to_string(chosen.at("k").get<int>())));
    const std::string chosenText = labelByNeighboursCli(lib.file, "kind", "kind-auto-text", "--k 0", &status);
    EXPECT_NE(chosenText.find(" chosen: "), std::string::npos) << chosenText;
}

TEST(NeighbourLabelling, InAMultiLabelSetEachLabelHalfTheNearestLabelledCarryIsWritten) {
    const auto dir = test::freshDir("pipeline-neighbour-tags");
    const auto lib = makeLibrary(dir);
    // Sources 2 and 5 of each kind lose their tags (12 tracks); low tones are tagged {tonal, deep}, high ones
    // {tonal, bright}, noise {noisy, bright}.
    const auto truth = hideLabels(lib.file, "tags", [](auto&, char g) { return g == '2' || g == '5'; });
    ASSERT_EQ(truth.size(), 12u);
    pipeline::NeighbourLabellingRequest request{.library = lib.file, .space = "mfcc", .labelSet = "tags",
                                                .into = "tags-knn", .threads = 1};
    const auto r = pipeline::labelByNeighbours(request);
    EXPECT_TRUE(r.multiLabel);
    EXPECT_EQ(r.voters, 36u);
    ASSERT_EQ(r.labelsOf.size(), 12u);
    library::LibraryDatabase db(lib.file);
    EXPECT_EQ(db.labelSet("tags-knn")->kind, library::LabelKind::Multi);
    EXPECT_EQ(db.labelSet("tags-knn")->classes, db.labelSet("tags")->classes);
    const auto written = db.positiveLabels("tags-knn");
    for (const auto& [id, tags] : truth) {
        std::vector<std::string> voted;
        for (const auto& l : r.labelsOf.at(id)) {
            voted.push_back(l.label);
            EXPECT_GE(l.share, 0.5f) << l.label;
            EXPECT_EQ(l.source, "k-NN: " + std::to_string(std::lround(l.share * 5)) + " of 5 nearest labelled in mfcc");
        }
        for (std::size_t i = 1; i < r.labelsOf.at(id).size(); ++i)  // strongest first
            EXPECT_GE(r.labelsOf.at(id)[i - 1].share, r.labelsOf.at(id)[i].share);
        std::sort(voted.begin(), voted.end());
        auto expected = tags;
        std::sort(expected.begin(), expected.end());
        EXPECT_EQ(voted, expected) << id;
        auto stored = written.at(id);
        std::sort(stored.begin(), stored.end());
        EXPECT_EQ(stored, expected) << id;
    }
    // Bright: high and noise, 8 of the 12.
    EXPECT_EQ(r.perClass.at("bright"), 8u);
    EXPECT_EQ(r.perClass.at("tonal"), 8u);

    // Asking for every voter to agree leaves fewer labels, each with all 5 votes.
    request.into = "tags-all";
    request.rule.minShare = 1.0;
    const auto unanimous = pipeline::labelByNeighbours(request);
    std::size_t labels = 0, strict = 0;
    for (const auto& [id, l] : r.labelsOf) labels += l.size();
    for (const auto& [id, l] : unanimous.labelsOf) {
        strict += l.size();
        for (const auto& v : l) EXPECT_FLOAT_EQ(v.share, 1.0f);
    }
    EXPECT_LT(strict, labels);  // 23 of the 24: one label had 3 or 4 of the 5 voters

    int status = 0;
    const std::string out = labelByNeighboursCli(lib.file, "tags", "tags-cli", "--json", &status);
    ASSERT_EQ(status, 0) << out;
    const auto json = nlohmann::json::parse(out);
    ASSERT_EQ(json.at("tracks").size(), 12u);
    EXPECT_EQ(json.at("tracks")[0].at("labels").size(), 2u);
}
