// `evaluate --folds K` (pipeline/FoldEvaluation.h) on a real generated library: every clip is tested exactly once,
// a group never has clips on both sides of a fold, the summary is the spread of the folds' figures, and a second
// call reuses the members it trained (more seeds add members; another aggregation trains nothing); the command line
// gives each fold's test predictions, the ones its figures were scored on.
#include "core/library/LibraryDatabase.h"
#include "core/ml/SavedModel.h"
#include "core/pipeline/FoldEvaluation.h"
#include "core/pipeline/LibraryTraining.h"
#include "core/util/Error.h"
#include "support/SmallLogMel.h"
#include "support/TestSupport.h"
#include "support/ToneNoiseLibrary.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <set>

using namespace sonolab;
namespace fs = std::filesystem;

TEST(FoldEvaluation, SpreadIsMeanSampleStdMinAndMax) {
    const auto s = pipeline::spreadOf({1.0, 2.0, 3.0, 4.0});
    EXPECT_DOUBLE_EQ(s.mean, 2.5);
    EXPECT_NEAR(s.std, std::sqrt(5.0 / 3.0), 1e-12);  // sum of squares 5, n - 1 = 3
    EXPECT_DOUBLE_EQ(s.min, 1.0);
    EXPECT_DOUBLE_EQ(s.max, 4.0);
    EXPECT_DOUBLE_EQ(pipeline::spreadOf({0.7}).std, 0.0);
}

TEST(FoldEvaluation, EveryClipTestedOnceGroupsStayTogetherAndMembersAreReused) {
    const auto dir = test::freshDir("pipeline-folds");
    const auto lib = test::makeToneNoiseLibrary(dir, 24);
    const auto run = dir / "run";
    pipeline::LibraryTrainingRequest r;
    r.library = lib;
    r.task = "binary:noise";
    r.model = ml::ModelSpec::parse("compact_cnn:filters=4/4/4");
    r.config.runDir = run;
    r.config.epochs = 2;
    r.config.batchSize = 4;
    r.config.threads = 1;
    r.config.learningRate = 3e-3;
    r.config.mixupAlpha = 0.2;  // a recipe field the folds must train with
    r.features = test::smallLogMel();
    ASSERT_EQ(pipeline::trainFromLibrary(r).training.state, ml::TrainingState::Finished);
    EXPECT_EQ(ml::readSavedModelInfo(run).extra.at("config.mixup_alpha"), "0.2");

    pipeline::FoldRequest request{.run = run, .library = lib, .folds = 3, .seeds = 1};
    const auto first = pipeline::crossValidate(request);
    ASSERT_EQ(first.folds.size(), 3u);
    library::LibraryDatabase db(lib);
    std::map<std::int64_t, int> testedIn;
    std::map<std::string, std::set<std::size_t>> foldsOfGroup;
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(first.trainedMembers[k], 1);
        EXPECT_EQ(first.trainClips[k] + first.validationClips[k] + first.folds[k].predictions.size(), 24u);
        EXPECT_GT(first.validationClips[k], 0u);
        for (const auto& p : first.folds[k].predictions) {
            ++testedIn[p.trackId];
            foldsOfGroup[db.track(p.trackId)->group].insert(k);
        }
        const auto member = ml::readSavedModelInfo(run / "folds" / ("fold-" + std::to_string(k + 1)) / "seed-1");
        EXPECT_EQ(member.model.toString(), "compact_cnn:filters=4/4/4");
        EXPECT_EQ(member.epochs, 2);
    }
    EXPECT_EQ(testedIn.size(), 24u);
    for (const auto& [track, times] : testedIn) EXPECT_EQ(times, 1) << "track " << track;
    for (const auto& [group, folds] : foldsOfGroup) EXPECT_EQ(folds.size(), 1u) << group;
    double sum = 0;
    for (const auto& fold : first.folds) sum += fold.report.accuracy;
    EXPECT_NEAR(first.summary.at("accuracy").mean, sum / 3.0, 1e-12);

    // Two seeds: the first member of each fold is reused, the second trained. Max over the windows: nothing trained.
    request.seeds = 2;
    const auto second = pipeline::crossValidate(request);
    for (int trained : second.trainedMembers) EXPECT_EQ(trained, 1);
    request.aggregation = ml::WindowAggregation::Max;
    const auto third = pipeline::crossValidate(request);
    for (int trained : third.trainedMembers) EXPECT_EQ(trained, 0);

    // `evaluate --folds --json --predictions` (the first request's folds, members reused): each fold lists its test
    // clips with target and probabilities, and its accuracy is theirs at the binary threshold of 0.5.
    int status = 0;
    const std::string out = test::capture(test::cliPath() + " evaluate --run " + run.string() + " --db " + lib.string() +
                                              " --folds 3 --json --predictions -q",
                                          &status);
    ASSERT_EQ(status, 0) << out;
    const auto json = nlohmann::json::parse(out);
    std::set<std::int64_t> listed;
    std::size_t correctOverall = 0;
    for (std::size_t k = 0; k < 3; ++k) {
        const auto& fold = json.at("folds").at(k);
        EXPECT_EQ(fold.at("trained_members"), 0);
        const auto& predictions = fold.at("predictions");
        ASSERT_EQ(predictions.size(), first.folds[k].predictions.size());
        std::size_t correct = 0;
        for (const auto& p : predictions) {
            listed.insert(p.at("track").get<std::int64_t>());
            ASSERT_EQ(p.at("probabilities").size(), 1u);
            correct += (p.at("probabilities")[0].get<double>() >= 0.5) == (p.at("target")[0].get<double>() >= 0.5);
        }
        EXPECT_NEAR(fold.at("accuracy").get<double>(), double(correct) / double(predictions.size()), 1e-9);
        correctOverall += correct;
    }
    EXPECT_EQ(listed.size(), 24u);
    // Every clip once: the folds' predictions together, one report (in the result and in the JSON).
    EXPECT_EQ(first.pooled.predictions.size(), 24u);
    EXPECT_NEAR(first.pooled.report.accuracy, double(correctOverall) / 24.0, 1e-9);
    EXPECT_NEAR(json.at("pooled").at("accuracy").get<double>(), double(correctOverall) / 24.0, 1e-9);
    // Another fold seed is another recipe of folds: members are trained again.
    request.seeds = 1;
    request.foldSeed = 7;
    EXPECT_EQ(pipeline::crossValidate(request).trainedMembers[0], 1);

    // A recipe that keeps its last epoch picks nothing by validation: its folds train on every clip outside the test
    // fold, unless a share is asked for.
    EXPECT_DOUBLE_EQ(pipeline::validationShareFor(r.config), 0.15);  // the best epoch kept (the default)
    r.config.restoreBest = false;
    EXPECT_DOUBLE_EQ(pipeline::validationShareFor(r.config), 0.0);
    r.config.earlyStoppingPatience = 3;
    EXPECT_DOUBLE_EQ(pipeline::validationShareFor(r.config), 0.15);
    r.config.earlyStoppingPatience = 0;
    r.config.runDir = dir / "last-epoch";
    ASSERT_EQ(pipeline::trainFromLibrary(r).training.state, ml::TrainingState::Finished);
    pipeline::FoldRequest last{.run = r.config.runDir, .library = lib, .folds = 3};
    const auto lastFolds = pipeline::crossValidate(last);
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(lastFolds.validationClips[k], 0u);
        EXPECT_EQ(lastFolds.trainClips[k] + lastFolds.folds[k].predictions.size(), 24u);
    }
    last.validationShare = 0.25;
    EXPECT_GT(pipeline::crossValidate(last).validationClips[0], 0u);

    request.folds = 30;  // 12 groups cannot fill 30 folds
    EXPECT_THROW(pipeline::crossValidate(request), Error);
}
