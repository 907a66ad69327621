// The recipe for small labelled sets: the learning-rate schedule (warm-up, cosine after it) against the formulas
// written out in numpy, mixup's mixed batch against numpy's lambda * x + (1 - lambda) * x[perm] and its lambda
// against Beta(alpha, alpha)'s moments, a run with mixup that still learns, and early stopping that keeps the best
// epoch's weights (the saved model's validation loss is the history's best, not its last).
#include "Synthetic.h"

#include "core/ml/LearningRateSchedule.h"
#include "core/ml/Mixup.h"
#include "core/ml/Predictor.h"
#include "core/ml/SavedModel.h"
#include "core/ml/Trainer.h"
#include "core/ml/TrainingConfigText.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>

using namespace sonolab;
using namespace sonolab::ml;
namespace fs = std::filesystem;

TEST(LearningRateSchedule, MatchesTheFormulasInNumpy) {
    const auto python = sonolab::test::pythonWithNumpy();
    if (python.empty()) GTEST_SKIP() << "numpy under /usr/bin/python3 is not installed: reference check skipped";
    const auto dir = sonolab::test::freshDir("ml-schedule-numpy");
    struct Case {
        ScheduleKind kind;
        int warmup;
    };
    const Case cases[] = {{ScheduleKind::Cosine, 0}, {ScheduleKind::Cosine, 3}, {ScheduleKind::Constant, 2},
                          {ScheduleKind::Step, 1}};
    const int epochs = 12, batches = 5;
    std::vector<float> ours;
    for (const auto& c : cases) {
        TrainingConfig config;
        config.schedule = c.kind;
        config.warmupEpochs = c.warmup;
        config.epochs = epochs;
        config.learningRate = 3e-3;
        config.minLearningRate = 1e-5;
        config.stepEpochs = 4;
        config.gamma = 0.5;
        for (int e = 0; e < epochs; ++e)
            for (int b = 0; b < batches; ++b)
                ours.push_back(float(scheduledLearningRate(config, e) * warmupFactor(config, e, b, batches)));
    }
    const std::size_t shape[] = {std::size(cases), std::size_t(epochs), std::size_t(batches)};
    writeNpy(dir / "ours.npy", ours, shape);
    std::ofstream(dir / "reference.py") << R"(
import numpy as np, sys
d = sys.argv[1]
E, B, lr0, lo, step, gamma = 12, 5, 3e-3, 1e-5, 4, 0.5
out = []
for kind, W in [("cosine", 0), ("cosine", 3), ("constant", 2), ("step", 1)]:
    rates = np.zeros((E, B))
    for e in range(E):
        if kind == "cosine":
            t = max(0, e - W) / max(1, E - W)
            base = lo + (lr0 - lo) * (1 + np.cos(np.pi * t)) / 2
        elif kind == "step":
            base = lr0 * gamma ** (e // step)
        else:
            base = lr0
        for b in range(B):
            ramp = 1.0 if W == 0 else min(1.0, (e * B + b + 1) / (W * B))
            rates[e, b] = base * ramp
    out.append(rates)
np.save(d + "/reference.npy", np.array(out, dtype=np.float32))
)";
    ASSERT_EQ(sonolab::test::run(python + " " + (dir / "reference.py").string() + " " + dir.string()), 0);
    const auto reference = readNpy(dir / "reference.npy");
    ASSERT_EQ(reference.data.size(), ours.size());
    for (std::size_t i = 0; i < ours.size(); ++i) EXPECT_NEAR(ours[i], reference.data[i], 1e-9) << "rate " << i;
    // The warm-up starts small and reaches the full rate at its last batch.
    EXPECT_LT(ours[std::size_t(epochs * batches)], 3e-3f / 10);
    EXPECT_FLOAT_EQ(ours[std::size_t(epochs * batches + 3 * batches - 1)], 3e-3f);
}

TEST(LearningRateSchedule, TheTrainerRecordsTheScheduledRates) {
    auto train = ml::test::syntheticDataset("single:a,b", 32, 8, 8, 3);
    TrainingConfig c;
    c.epochs = 6;
    c.batchSize = 8;
    c.threads = 1;
    c.schedule = ScheduleKind::Cosine;
    c.warmupEpochs = 2;
    Trainer t(ModelSpec::parse("dense:hidden=8"), c, train);
    const auto r = t.run();
    ASSERT_EQ(r.state, TrainingState::Finished) << r.message;
    ASSERT_EQ(r.history.size(), 6u);
    for (int e = 0; e < 6; ++e) EXPECT_DOUBLE_EQ(r.history[std::size_t(e)].learningRate, scheduledLearningRate(c, e));
    EXPECT_DOUBLE_EQ(r.history[2].learningRate, c.learningRate);  // cosine starts after the warm-up
}

TEST(Mixup, MixedBatchMatchesNumpyAndLambdaFollowsBeta) {
    const auto python = sonolab::test::pythonWithNumpy();
    if (python.empty()) GTEST_SKIP() << "numpy under /usr/bin/python3 is not installed: reference check skipped";
    const auto dir = sonolab::test::freshDir("ml-mixup-numpy");
    const std::size_t n = 7, inputSize = 12, outputs = 3;
    std::mt19937_64 rng(21);
    std::normal_distribution<float> g;
    std::vector<float> x(n * inputSize), y(n * outputs, 0.0f);
    for (float& v : x) v = g(rng);
    for (std::size_t i = 0; i < n; ++i) y[i * outputs + i % outputs] = 1.0f;
    const std::size_t xs[] = {n, inputSize}, ys[] = {n, outputs}, ps[] = {n + 1};
    writeNpy(dir / "x.npy", x, xs);
    writeNpy(dir / "y.npy", y, ys);
    const MixupDraw draw = drawMixup(n, 0.4, rng);
    std::vector<std::size_t> sorted = draw.partner;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::size_t> identity(n);
    std::iota(identity.begin(), identity.end(), 0);
    EXPECT_EQ(sorted, identity) << "partners are a permutation of the batch";
    std::vector<float> plan{draw.lambda};
    for (std::size_t p : draw.partner) plan.push_back(float(p));
    writeNpy(dir / "plan.npy", plan, ps);
    applyMixup(draw, x.data(), inputSize, y.data(), outputs);
    writeNpy(dir / "xm.npy", x, xs);
    writeNpy(dir / "ym.npy", y, ys);
    std::ofstream(dir / "reference.py") << R"(
import numpy as np, sys
d = sys.argv[1]
x, y, plan = np.load(d + "/x.npy"), np.load(d + "/y.npy"), np.load(d + "/plan.npy")
lam, perm = float(plan[0]), plan[1:].astype(int)
ok = np.allclose(np.load(d + "/xm.npy"), lam * x + (1 - lam) * x[perm], atol=1e-6) and \
     np.allclose(np.load(d + "/ym.npy"), lam * y + (1 - lam) * y[perm], atol=1e-6)
sys.exit(0 if ok else 1)
)";
    EXPECT_EQ(sonolab::test::run(python + " " + (dir / "reference.py").string() + " " + dir.string()), 0);

    // Beta(alpha, alpha): mean 1/2, variance 1 / (4 (2 alpha + 1)); 4000 draws put both well within 0.01.
    for (double alpha : {0.2, 0.4, 1.0}) {
        double sum = 0, sq = 0;
        const int draws = 4000;
        for (int i = 0; i < draws; ++i) {
            const double l = drawMixup(2, alpha, rng).lambda;
            ASSERT_GE(l, 0.0);
            ASSERT_LE(l, 1.0);
            sum += l;
            sq += l * l;
        }
        const double mean = sum / draws, var = sq / draws - mean * mean;
        EXPECT_NEAR(mean, 0.5, 0.015) << "alpha " << alpha;
        EXPECT_NEAR(var, 1.0 / (4.0 * (2.0 * alpha + 1.0)), 0.01) << "alpha " << alpha;
    }
    EXPECT_THROW(drawMixup(3, 0.0, rng), sonolab::Error);
}

TEST(Mixup, ARunWithMixupStillLearnsAndDiffersFromOneWithout) {
    auto runWith = [](double alpha) {
        auto train = ml::test::syntheticDataset("single:a,b,c", 48, 12, 12, 4, 2.0f);
        auto valid = ml::test::syntheticDataset("single:a,b,c", 24, 12, 12, 5, 2.0f);
        TrainingConfig c;
        c.epochs = 8;
        c.batchSize = 8;
        c.threads = 1;
        c.learningRate = 5e-3;
        c.mixupAlpha = alpha;
        Trainer t(ModelSpec::parse("compact_cnn:filters=4/8/8"), c, train, &valid);
        auto r = t.run();
        EXPECT_EQ(r.state, TrainingState::Finished) << r.message;
        return std::pair(r.history.back().trainLoss, r.finalMetrics.at("accuracy"));
    };
    const auto [plainLoss, plainAccuracy] = runWith(0.0);
    const auto [mixedLoss, mixedAccuracy] = runWith(0.4);
    EXPECT_GT(mixedAccuracy, 0.8);
    EXPECT_GT(plainAccuracy, 0.8);
    // Mixed targets are never fitted exactly: the training loss stays above the plain run's.
    EXPECT_GT(mixedLoss, plainLoss);
}

TEST(EarlyStopping, TheSavedModelIsTheBestEpochOfTheHistory) {
    const auto dir = sonolab::test::freshDir("ml-early-best");
    auto train = ml::test::syntheticDataset("single:a,b,c", 24, 12, 12, 31, 1.0f);
    auto valid = ml::test::syntheticDataset("single:a,b,c", 48, 12, 12, 32, 1.0f);
    TrainingConfig c;
    c.epochs = 40;
    c.batchSize = 8;
    c.threads = 1;
    c.learningRate = 1e-2;
    c.earlyStoppingPatience = 3;
    c.runDir = dir;
    Trainer t(ModelSpec::parse("compact_cnn:filters=4/8/8"), c, train, &valid);
    const auto r = t.run();
    ASSERT_EQ(r.state, TrainingState::Finished) << r.message;
    ASSERT_LT(r.epochsCompleted, 40) << "the small noisy set should overfit and stop early";
    // The best epoch is the history's minimum of the validation loss, `patience` epochs before the last.
    std::size_t best = 0;
    for (std::size_t e = 0; e < r.history.size(); ++e)
        if (*r.history[e].validationLoss < *r.history[best].validationLoss) best = e;
    EXPECT_EQ(int(best), r.bestEpoch);
    EXPECT_EQ(r.epochsCompleted - 1 - r.bestEpoch, 3);
    // The saved weights give the best epoch's validation loss (cross-entropy of the same whole examples), not the last.
    const auto p = Predictor::load(dir);
    std::vector<const FeatureMatrix*> examples;
    for (std::size_t i = 0; i < valid.size(); ++i) examples.push_back(&valid.features(i));
    const auto probabilities = p.predictMany(examples, false);
    double loss = 0;
    for (std::size_t i = 0; i < valid.size(); ++i) {
        const auto& target = valid.info(i).target;
        const auto k = std::size_t(std::max_element(target.begin(), target.end()) - target.begin());
        loss -= std::log(double(probabilities[i][k]));
    }
    loss /= double(valid.size());
    EXPECT_NEAR(loss, *r.history[best].validationLoss, 1e-4);
    EXPECT_GT(std::abs(loss - *r.history.back().validationLoss), 1e-3);
    EXPECT_EQ(readSavedModelInfo(dir).extra.at("best_epoch"), std::to_string(best + 1));
}

TEST(TrainingConfigText, TheRecipeSurvivesTheRunFolder) {
    TrainingConfig c;
    c.optimizer = OptimizerKind::Sgd;
    c.learningRate = 0.0123;
    c.schedule = ScheduleKind::Cosine;
    c.warmupEpochs = 3;
    c.mixupAlpha = 0.3;
    c.earlyStoppingPatience = 7;
    c.epochs = 55;
    c.seed = 77;
    c.windowFrames = 96;
    c.standardization = StandardizationMode::Global;
    c.augmentation.noiseStd = 0.25f;
    c.spectrogramAugmentation = SpectrogramAugmentation::parse("fmask,gain,shift");
    c.probeEpochs = 5;
    c.fineTuneLearningRate = 1e-4;
    const auto back = trainingConfigFromEntries(trainingConfigEntries(c));
    EXPECT_EQ(back.probeEpochs, 5);
    EXPECT_DOUBLE_EQ(back.fineTuneLearningRate, 1e-4);
    EXPECT_EQ(trainingConfigEntries(back), trainingConfigEntries(c));
    EXPECT_EQ(back.optimizer, OptimizerKind::Sgd);
    EXPECT_EQ(back.warmupEpochs, 3);
    EXPECT_DOUBLE_EQ(back.mixupAlpha, 0.3);
    EXPECT_EQ(back.windowFrames, 96u);
    EXPECT_EQ(back.spectrogramAugmentation, c.spectrogramAugmentation);
    EXPECT_FLOAT_EQ(back.augmentation.noiseStd, 0.25f);
    // A run folder from before the recipe was recorded: the keys it always had.
    const auto old = trainingConfigFromEntries({{"optimizer", "nadam"}, {"learning_rate", "0.002"}, {"epochs_planned", "12"}});
    EXPECT_EQ(old.optimizer, OptimizerKind::Nadam);
    EXPECT_DOUBLE_EQ(old.learningRate, 0.002);
    EXPECT_EQ(old.epochs, 12);
    EXPECT_THROW(trainingConfigFromEntries({{"config.epochs", "many"}}), sonolab::Error);
}

// Runs trained with `train --augment` before gain and masks had one owner recorded them per crop; a fold of such a
// run trains with the same kinds of change from the batch module, beside what config.augmentations names.
TEST(TrainingConfigText, PerCropGainAndMasksOfOlderRunsBecomeBatchAugmentations) {
    const auto masks = trainingConfigFromEntries({{"config.augment.gain_db", "0"},
                                                  {"config.augment.frequency_masks", "1"},
                                                  {"config.augment.time_masks", "1"},
                                                  {"config.augment.mask_width", "8"},
                                                  {"config.augmentations", "shift"}});
    EXPECT_EQ(masks.spectrogramAugmentation.toString(), "tmask,fmask,shift");
    EXPECT_EQ(masks.spectrogramAugmentation.timeMasks, SpectrogramAugmentation::parse("tmask").timeMasks);
    const auto gain = trainingConfigFromEntries({{"config.augment.gain_db", "6"}, {"config.augment.time_masks", "0"}});
    EXPECT_EQ(gain.spectrogramAugmentation.toString(), "gain");
    EXPECT_FALSE(trainingConfigFromEntries({{"config.augment.gain_db", "0"}}).spectrogramAugmentation.any());
}
