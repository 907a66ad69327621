// Every built-in architecture learns a tiny synthetic problem: its training loss falls within a few epochs.
#include "Synthetic.h"

#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/Trainer.h"
#include "core/util/Error.h"

#include <gtest/gtest.h>

using namespace sonolab::ml;

namespace {

struct Case {
    const char* spec;
    const char* task;
    std::size_t bands, frames;
    double lr;
    OptimizerKind optimizer;
};

class ModelsLearn : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(ModelsLearn, LossFalls) {
    const Case c = GetParam();
    auto train = test::syntheticDataset(c.task, 48, c.bands, c.frames, 11);
    TrainingConfig config;
    config.epochs = 6;
    config.batchSize = 8;
    config.learningRate = c.lr;
    config.optimizer = c.optimizer;
    config.threads = 1;
    config.seed = 5;
    Trainer trainer(ModelSpec::parse(c.spec), config, train);
    auto result = trainer.run();
    ASSERT_EQ(result.state, TrainingState::Finished) << result.message;
    ASSERT_EQ(result.history.size(), 6u);
    const double first = result.history.front().trainLoss;
    const double last = result.history.back().trainLoss;
    EXPECT_LT(last, 0.7 * first) << c.spec << ": first epoch " << first << ", last " << last;
    EXPECT_GT(trainer.parameterCount(), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Builtins, ModelsLearn,
    ::testing::Values(Case{"tutorial_cnn:filters=8,hidden=32", "binary:x", 16, 16, 3e-3, OptimizerKind::Adam},
                      Case{"mirex2015:filters=6,hidden=32", "binary:x", 16, 12, 3e-3, OptimizerKind::Adam},
                      Case{"parallel_cnn:hidden=32", "single:a,b,c", 16, 16, 1e-3, OptimizerKind::Adam},
                      Case{"compact_cnn:filters=8/16/16", "single:a,b,c", 24, 24, 3e-3, OptimizerKind::Nadam},
                      Case{"compact_cnn:filters=8/16/16", "multi:a,b,c", 24, 24, 3e-3, OptimizerKind::Adam},
                      Case{"dense:hidden=32", "binary:x", 12, 1, 3e-2, OptimizerKind::Sgd},
                      Case{"short_chunk_resnet:channels=8", "binary:x", 16, 16, 1e-2, OptimizerKind::Adam}),
    [](const auto& info) {
        std::string n = std::string(info.param.spec).substr(0, std::string(info.param.spec).find(':')) + "_" +
                        std::string(info.param.task).substr(0, std::string(info.param.task).find(':'));
        return n;
    });

TEST(ModelFactory, SizesFromInputShapeAsTheTutorialSays) {
    // ML 2's CNN has 1.19 M parameters on 40x80; IS part 1's compact CNN 107 k on 80x80 with 8 genres.
    EXPECT_NEAR(double(parameterCount(ModelSpec::parse("tutorial_cnn"), {40, 80}, 1)), 1.19e6, 0.01e6);
    const auto compact = parameterCount(ModelSpec::parse("compact_cnn"), {80, 80}, 8);
    EXPECT_NEAR(double(compact), 107e3, 2e3);
    // The parallel CNN's concatenation has 53,069 values on 40x80: dense256 holds 53,069*256+256 weights.
    const auto parallel = parameterCount(ModelSpec::parse("parallel_cnn"), {40, 80}, 1);
    EXPECT_EQ(parallel, std::size_t(16 * 20 + 16 + 25 * 20 + 25 + 53069 * 256 + 256 + 257));
}

TEST(ModelFactory, UnknownNamesAndParametersAreClearErrors) {
    EXPECT_THROW(architectureInfo("no_such_model"), sonolab::Error);
    EXPECT_THROW(parameterCount(ModelSpec::parse("no_such_model"), {80, 80}, 2), sonolab::Error);
    EXPECT_THROW(parameterCount(ModelSpec::parse("compact_cnn:colour=red"), {80, 80}, 2), sonolab::Error);
    EXPECT_THROW(parameterCount(ModelSpec::parse("tutorial_cnn"), {4, 4}, 2), sonolab::Error);
    EXPECT_EQ(architectures(ArchitectureKind::Classifier).size(), 6u);
    EXPECT_EQ(architectures(ArchitectureKind::Siamese).size(), 2u);
}
