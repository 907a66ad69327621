// The trainer's guarantees: resume equals an uninterrupted run, a NaN stops the run and keeps the last good
// checkpoint, pause/stop from another thread, validation metrics, early stopping, class weighting.
#include "Synthetic.h"

#include "core/ml/Predictor.h"
#include "core/ml/SavedModel.h"
#include "core/ml/Trainer.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <atomic>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <thread>

using namespace sonolab::ml;
using sonolab::TaskKind;
using sonolab::TaskSpec;
namespace fs = std::filesystem;

namespace {

TrainingConfig smallConfig(const fs::path& dir, int epochs) {
    TrainingConfig c;
    c.epochs = epochs;
    c.batchSize = 8;
    c.learningRate = 2e-3;
    c.threads = 1;
    c.seed = 99;
    c.runDir = dir;
    c.windowFrames = 12;  // random crops from 16 frames: exercises the data RNG across resume
    c.augmentation.noiseStd = 0.1f;
    return c;
}

const char* kModel = "compact_cnn:filters=4/8/8";

struct StopAfter : TrainingObserver {
    Trainer* trainer = nullptr;
    int epochs = 0;
    void onEpoch(const EpochReport& r) override {
        if (r.epoch + 1 == epochs) trainer->requestStop();
    }
};

struct Crash {};
struct CrashAfter : TrainingObserver {
    int epochs = 0;
    void onEpoch(const EpochReport& r) override {
        if (r.epoch + 1 == epochs) throw Crash{};  // the process "dies" right after the checkpoint
    }
};

}  // namespace

TEST(Trainer, ResumedRunEqualsUninterruptedRun) {
    const auto straightDir = sonolab::test::freshDir("ml-resume-straight");
    const auto splitDir = sonolab::test::freshDir("ml-resume-split");

    auto train = test::syntheticDataset("single:a,b,c", 30, 16, 16, 1);
    auto valid = test::syntheticDataset("single:a,b,c", 12, 16, 16, 2);
    Trainer straight(ModelSpec::parse(kModel), smallConfig(straightDir, 4), train, &valid);
    auto a = straight.run();
    ASSERT_EQ(a.state, TrainingState::Finished) << a.message;

    {
        auto train2 = test::syntheticDataset("single:a,b,c", 30, 16, 16, 1);
        auto valid2 = test::syntheticDataset("single:a,b,c", 12, 16, 16, 2);
        StopAfter stop;
        stop.epochs = 2;
        Trainer first(ModelSpec::parse(kModel), smallConfig(splitDir, 4), train2, &valid2, &stop);
        stop.trainer = &first;
        auto b = first.run();
        EXPECT_EQ(b.state, TrainingState::Stopped);
        EXPECT_EQ(b.epochsCompleted, 2);
    }
    ASSERT_TRUE(Trainer::hasCheckpoint(splitDir));
    auto train3 = test::syntheticDataset("single:a,b,c", 30, 16, 16, 1);
    auto valid3 = test::syntheticDataset("single:a,b,c", 12, 16, 16, 2);
    Trainer second(ModelSpec::parse(kModel), smallConfig(splitDir, 4), train3, &valid3);
    second.resumeFrom(splitDir);
    auto c = second.run();
    ASSERT_EQ(c.state, TrainingState::Finished) << c.message;
    ASSERT_EQ(c.history.size(), 4u);
    for (std::size_t e = 0; e < 4; ++e) {
        EXPECT_DOUBLE_EQ(c.history[e].trainLoss, a.history[e].trainLoss) << "epoch " << e;
        EXPECT_DOUBLE_EQ(*c.history[e].validationLoss, *a.history[e].validationLoss) << "epoch " << e;
    }
    EXPECT_EQ(second.flatParameters(), straight.flatParameters());
}

class ResumeWithOptimizer : public ::testing::TestWithParam<OptimizerKind> {};

TEST_P(ResumeWithOptimizer, ResumesAfterTheProcessDiesMidRun) {
    const std::string tag(toString(GetParam()));
    const auto straightDir = sonolab::test::freshDir("ml-crash-straight-" + tag);
    const auto dir = sonolab::test::freshDir("ml-crash-" + tag);
    auto cfg = smallConfig(dir, 3);
    cfg.optimizer = GetParam();  // every optimizer's state must survive (Nadam is our own)
    auto train = test::syntheticDataset("binary:x", 24, 16, 16, 4);
    {
        CrashAfter crash;
        crash.epochs = 1;
        Trainer t(ModelSpec::parse(kModel), cfg, train, nullptr, &crash);
        EXPECT_THROW(t.run(), Crash);
    }
    Trainer resumed(ModelSpec::parse(kModel), cfg, train);
    resumed.resumeFrom(dir);
    auto r = resumed.run();
    ASSERT_EQ(r.state, TrainingState::Finished) << r.message;

    auto cfgStraight = cfg;
    cfgStraight.runDir = straightDir;
    Trainer straight(ModelSpec::parse(kModel), cfgStraight, train);
    auto s = straight.run();
    EXPECT_EQ(resumed.flatParameters(), straight.flatParameters());
    EXPECT_DOUBLE_EQ(r.history.back().trainLoss, s.history.back().trainLoss);
}

INSTANTIATE_TEST_SUITE_P(Optimizers, ResumeWithOptimizer,
                         ::testing::Values(OptimizerKind::Sgd, OptimizerKind::Adam, OptimizerKind::Nadam),
                         [](const auto& info) { return std::string(toString(info.param)); });

TEST(Trainer, ResumeRejectsAnotherModel) {
    const auto dir = sonolab::test::freshDir("ml-resume-mismatch");
    auto train = test::syntheticDataset("binary:x", 16, 16, 16, 4);
    Trainer t(ModelSpec::parse(kModel), smallConfig(dir, 1), train);
    ASSERT_EQ(t.run().state, TrainingState::Finished);
    Trainer other(ModelSpec::parse("compact_cnn:filters=4/8/16"), smallConfig(dir, 2), train);
    // Refused by resumeFrom itself (Trainer.h), before the caller records or writes anything.
    try {
        other.resumeFrom(dir);
        ADD_FAILURE() << "a checkpoint of another model was accepted";
    } catch (const sonolab::Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find((dir / "checkpoint.pt").string()), std::string::npos) << message;
        EXPECT_NE(message.find("compact_cnn:filters=4/8/8"), std::string::npos) << message;
    }
    EXPECT_THROW(other.resumeFrom(sonolab::test::freshDir("ml-empty")), sonolab::Error);
}

TEST(Trainer, PlantedNaNStopsTheRunAndKeepsTheLastGoodCheckpoint) {
    const auto dir = sonolab::test::freshDir("ml-nan");
    auto train = test::syntheticDataset("binary:x", 24, 16, 16, 5);
    // After epoch 2 the input pipeline starts producing NaN (as corrupted features would).
    struct Corrupt : TrainingObserver {
        Dataset* data = nullptr;
        std::vector<std::pair<TrainingState, std::string>> states;
        void onEpoch(const EpochReport& r) override {
            if (r.epoch == 1) {
                Standardization s = data->standardization();
                s.scale.assign(s.scale.size(), std::nanf(""));
                data->setStandardization(s);
            }
        }
        void onStateChanged(TrainingState st, const std::string& m) override { states.emplace_back(st, m); }
    } corrupt;
    corrupt.data = &train;
    Trainer t(ModelSpec::parse(kModel), smallConfig(dir, 5), train, nullptr, &corrupt);
    auto r = t.run();
    ASSERT_EQ(r.state, TrainingState::Failed);
    EXPECT_NE(r.message.find("NaN"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("epoch 3"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("last good checkpoint (epoch 2)"), std::string::npos) << r.message;
    EXPECT_EQ(r.epochsCompleted, 2);
    ASSERT_FALSE(corrupt.states.empty());
    EXPECT_EQ(corrupt.states.back().first, TrainingState::Failed);

    // The checkpoint is the epoch-2 one and resumes (with clean data) to the end.
    auto clean = test::syntheticDataset("binary:x", 24, 16, 16, 5);
    Trainer resumed(ModelSpec::parse(kModel), smallConfig(dir, 3), clean);
    resumed.resumeFrom(dir);
    auto after = resumed.run();
    ASSERT_EQ(after.state, TrainingState::Finished) << after.message;
    EXPECT_EQ(after.history.size(), 3u);
    for (float p : resumed.flatParameters()) ASSERT_TRUE(std::isfinite(p));
    // The saved model is usable.
    auto predictor = Predictor::load(dir);
    auto prediction = predictor.predict(clean.features(0));
    ASSERT_EQ(prediction.probabilities.size(), 1u);
    EXPECT_TRUE(std::isfinite(prediction.probabilities[0]));
}

TEST(Trainer, ExplodingLossStopsWithAClearMessage) {
    auto train = test::syntheticDataset("binary:x", 24, 12, 1, 6);
    TrainingConfig c;
    c.epochs = 3;
    c.threads = 1;
    c.optimizer = OptimizerKind::Sgd;
    c.learningRate = 1e9;
    c.standardization = StandardizationMode::None;
    c.explodingLoss = 100;
    Trainer t(ModelSpec::parse("dense:hidden=16,dropout=0"), c, train);
    auto r = t.run();
    EXPECT_EQ(r.state, TrainingState::Failed);
    EXPECT_TRUE(r.message.find("exploded") != std::string::npos || r.message.find("NaN") != std::string::npos)
        << r.message;
}

TEST(Trainer, PauseBlocksAtABatchAndStopEndsTheRun) {
    auto train = test::syntheticDataset("binary:x", 64, 16, 16, 7);
    struct Watch : TrainingObserver {
        std::atomic<int> batches{0};
        std::atomic<bool> pausedSeen{false};
        void onBatch(const BatchReport&) override { ++batches; }
        void onStateChanged(TrainingState s, const std::string&) override {
            if (s == TrainingState::Paused) pausedSeen = true;
        }
    } watch;
    TrainingConfig c;
    c.epochs = 1000;
    c.batchSize = 4;
    c.threads = 1;
    Trainer t(ModelSpec::parse(kModel), c, train, nullptr, &watch);
    TrainingResult r;
    std::thread worker([&] { r = t.run(); });
    while (watch.batches < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    t.pause();
    while (!watch.pausedSeen) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const int atPause = watch.batches;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(watch.batches, atPause);  // nothing trains while paused
    EXPECT_TRUE(t.paused());
    t.resume();
    while (watch.batches < atPause + 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    t.requestStop();
    worker.join();
    EXPECT_EQ(r.state, TrainingState::Stopped);
}

TEST(Trainer, ValidationMetricsEarlyStoppingAndSavedModel) {
    const auto dir = sonolab::test::freshDir("ml-valid");
    auto train = test::syntheticDataset("single:a,b,c", 48, 16, 16, 8, 2.0f);
    auto valid = test::syntheticDataset("single:a,b,c", 24, 16, 16, 9, 2.0f);
    auto cfg = smallConfig(dir, 30);
    cfg.windowFrames = 0;
    cfg.augmentation = {};
    cfg.learningRate = 5e-3;
    cfg.earlyStoppingPatience = 2;
    cfg.featureSpec = "logmel;mels=16";
    struct Epochs : TrainingObserver {
        int count = 0;
        void onEpoch(const EpochReport&) override { ++count; }
    } epochs;
    Trainer t(ModelSpec::parse(kModel), cfg, train, &valid, &epochs);
    auto r = t.run();
    ASSERT_EQ(r.state, TrainingState::Finished) << r.message;
    EXPECT_EQ(epochs.count, r.epochsCompleted);
    ASSERT_GE(r.bestEpoch, 0);
    EXPECT_GT(r.finalMetrics.at("accuracy"), 0.8);
    EXPECT_TRUE(r.finalMetrics.count("macro_f1") && r.finalMetrics.count("roc_auc"));
    if (r.epochsCompleted < 30) {
        EXPECT_NE(r.message.find("early stopping"), std::string::npos);
        EXPECT_EQ(r.epochsCompleted - 1 - r.bestEpoch, 2);
    }
    // The run folder has everything prediction needs, readable without JSON.
    auto info = readSavedModelInfo(dir);
    EXPECT_EQ(info.model.toString(), kModel);
    EXPECT_EQ(info.task.toString(), "single:a,b,c");
    EXPECT_EQ(info.featureSpec, "logmel;mels=16");
    EXPECT_EQ(info.input, (InputShape{16, 16}));
    EXPECT_EQ(info.standardization.mode, StandardizationMode::PerBand);
    EXPECT_EQ(info.standardization.mean.size(), 16u);
    EXPECT_NEAR(info.metrics.at("accuracy"), r.finalMetrics.at("accuracy"), 1e-12);
    std::ifstream curves(dir / "curves.csv");
    std::string header;
    std::getline(curves, header);
    EXPECT_NE(header.find("validation_loss"), std::string::npos);
}

TEST(Trainer, ClassWeightingHelpsTheRareClass) {
    // 1 positive in 8: unweighted BCE is happy predicting "negative"; weighted, recall of the rare class rises.
    auto make = [](unsigned seed, std::size_t n) {
        Dataset d("rare", TaskSpec::parse("binary:x"));
        std::mt19937 rng(seed);
        for (std::size_t i = 0; i < n; ++i) {
            const int cls = i % 8 == 0;
            d.add({"e" + std::to_string(i), "", {float(cls)}}, test::syntheticExample(cls, 2, 8, 1, rng, 0.6f));
        }
        return d;
    };
    auto recall = [&](bool weighting) {
        auto train = make(1, 160);
        auto valid = make(2, 160);
        TrainingConfig c;
        c.epochs = 4;
        c.batchSize = 16;
        c.threads = 1;
        c.learningRate = 3e-3;
        c.classWeighting = weighting;
        c.restoreBest = false;
        Trainer t(ModelSpec::parse("dense:hidden=16"), c, train, &valid);
        auto r = t.run();
        EXPECT_EQ(r.state, TrainingState::Finished) << r.message;
        return r.history.back().metrics.at("balanced_accuracy");
    };
    EXPECT_GT(recall(true), recall(false));
}

// Channels-last is a speed choice only: the run must learn the same (within float reordering) and still resume
// bit-exactly; Auto must pick it only for wide convolutions.
TEST(Trainer, ChannelsLastLearnsLikeContiguousAndResumesExactly) {
    auto runWith = [](MemoryLayout layout, const fs::path& dir, int epochs, int stopAt, bool resume) {
        auto train = test::syntheticDataset("single:a,b,c", 30, 16, 16, 1);
        auto valid = test::syntheticDataset("single:a,b,c", 12, 16, 16, 2);
        auto config = smallConfig(dir, epochs);
        config.layout = layout;
        StopAfter stop;
        stop.epochs = stopAt;
        Trainer trainer(ModelSpec::parse(kModel), config, train, &valid, stopAt ? &stop : nullptr);
        stop.trainer = &trainer;
        if (resume) trainer.resumeFrom(dir);
        auto result = trainer.run();
        EXPECT_EQ(trainer.memoryLayout(), layout);
        return std::make_pair(result, trainer.flatParameters());
    };
    const auto [plain, plainWeights] =
        runWith(MemoryLayout::Contiguous, sonolab::test::freshDir("ml-layout-plain"), 3, 0, false);
    const auto [last, lastWeights] =
        runWith(MemoryLayout::ChannelsLast, sonolab::test::freshDir("ml-layout-last"), 3, 0, false);
    ASSERT_EQ(last.state, TrainingState::Finished) << last.message;
    ASSERT_EQ(last.history.size(), 3u);
    for (std::size_t e = 0; e < 3; ++e)
        EXPECT_NEAR(last.history[e].trainLoss, plain.history[e].trainLoss, 1e-3 * plain.history[e].trainLoss);
    EXPECT_LT(last.history.back().trainLoss, last.history.front().trainLoss);

    const auto splitDir = sonolab::test::freshDir("ml-layout-split");
    EXPECT_EQ(runWith(MemoryLayout::ChannelsLast, splitDir, 3, 1, false).first.state, TrainingState::Stopped);
    const auto [resumed, resumedWeights] = runWith(MemoryLayout::ChannelsLast, splitDir, 3, 0, true);
    for (std::size_t e = 0; e < 3; ++e) EXPECT_DOUBLE_EQ(resumed.history[e].trainLoss, last.history[e].trainLoss);
    EXPECT_EQ(resumedWeights, lastWeights);
}

TEST(Trainer, AutoLayoutIsContiguousAndChannelsLastOnlyWhenAsked) {
    auto layoutOf = [](const char* model, MemoryLayout asked) {
        auto train = test::syntheticDataset("single:a,b", 8, 40, 16, 1);
        TrainingConfig config;
        config.epochs = 1;
        config.threads = 1;
        config.layout = asked;
        Trainer trainer(ModelSpec::parse(model), config, train, nullptr);
        trainer.run();
        return trainer.memoryLayout();
    };
    EXPECT_EQ(layoutOf("compact_cnn:filters=32/64/64", MemoryLayout::Auto), MemoryLayout::Contiguous);
    EXPECT_EQ(layoutOf("compact_cnn:filters=4/8/8", MemoryLayout::ChannelsLast), MemoryLayout::ChannelsLast);
    EXPECT_EQ(layoutOf("dense", MemoryLayout::ChannelsLast), MemoryLayout::Contiguous);  // nothing to lay out
}

// FusedAdam is a speed change only: the same run with libtorch's Adam follows the same losses and ends with the same
// weights up to float rounding, with and without weight decay.
TEST(Trainer, FusedAdamFollowsLibtorchAdam) {
    for (double decay : {0.0, 1e-3}) {
        auto runWith = [decay](bool fused) {
            auto train = test::syntheticDataset("single:a,b,c", 30, 16, 16, 1);
            auto config = smallConfig({}, 3);
            config.weightDecay = decay;
            config.fusedOptimizer = fused;
            Trainer trainer(ModelSpec::parse(kModel), config, train, nullptr);
            auto result = trainer.run();
            return std::make_pair(result, trainer.flatParameters());
        };
        const auto [fused, fusedWeights] = runWith(true);
        const auto [plain, plainWeights] = runWith(false);
        ASSERT_EQ(fused.state, TrainingState::Finished) << fused.message;
        for (std::size_t e = 0; e < 3; ++e)
            EXPECT_NEAR(fused.history[e].trainLoss, plain.history[e].trainLoss, 1e-4 * plain.history[e].trainLoss);
        ASSERT_EQ(fusedWeights.size(), plainWeights.size());
        // Adam divides by |gradient|, so float-rounding differences in near-zero gradients can flip single steps of
        // single weights: compare the weights on average, the losses above exactly enough to catch a wrong update.
        double worst = 0, mean = 0;
        for (std::size_t i = 0; i < fusedWeights.size(); ++i) {
            const double d = std::abs(double(fusedWeights[i]) - double(plainWeights[i]));
            worst = std::max(worst, d);
            mean += d / double(fusedWeights.size());
        }
        EXPECT_LT(mean, 1e-4) << "weight decay " << decay << ", largest difference " << worst;
        EXPECT_GT(worst, 0.0) << "both runs used the same optimizer";
    }
}
