// Siamese networks trained by the ordinary Trainer: the loss falls and the learned space separates the classes.
#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/Predictor.h"
#include "core/ml/Siamese.h"
#include "core/ml/Trainer.h"
#include "core/similarity/Distances.h"
#include "core/similarity/TrainingPairs.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <random>

using namespace sonolab;

namespace {

// Spectrogram-like items whose class shows as extra energy in its own band range.
ml::FeatureMatrix item(int cls, int classes, std::size_t bands, std::size_t frames, std::mt19937& rng) {
    ml::FeatureMatrix m(bands, frames, Layout::BinsByFrames);
    std::normal_distribution<float> noise;
    const std::size_t lo = bands * std::size_t(cls) / std::size_t(classes), hi = bands * std::size_t(cls + 1) / std::size_t(classes);
    for (std::size_t b = 0; b < bands; ++b)
        for (std::size_t f = 0; f < frames; ++f) m.mutableRow(b)[f] = noise(rng) + (b >= lo && b < hi ? 2.0f : 0.0f);
    return m;
}

double meanDistance(const std::vector<std::vector<float>>& e, const std::vector<std::string>& labels, bool same) {
    double sum = 0;
    int count = 0;
    for (std::size_t i = 0; i < e.size(); ++i)
        for (std::size_t j = i + 1; j < e.size(); ++j)
            if ((labels[i] == labels[j]) == same) {
                sum += similarity::euclideanDistance(e[i], e[j]);
                ++count;
            }
    return sum / count;
}

}  // namespace

TEST(SiameseLosses, ContrastiveAndBatchHardTripletValues) {
    // y d^2 + (1 - y) max(1 - d, 0)^2 for (d, y) = (0.5, 1), (0.25, 0), (2, 0), (0.5, 0.5)
    const double want = (0.25 + 0.5625 + 0.0 + (0.5 * 0.25 + 0.5 * 0.25)) / 4;
    EXPECT_NEAR(ml::contrastiveLossValue({0.5f, 0.25f, 2.0f, 0.5f}, {1, 0, 0, 0.5f}, 1.0), want, 1e-6);
    // margin 2: the dissimilar pair at distance 2 stops costing only at 2.
    EXPECT_NEAR(ml::contrastiveLossValue({1.0f}, {0.0f}, 2.0), 1.0, 1e-6);
    // 1-D embeddings: class 0 at 0 and 1, class 1 at 1.2 and 5. Batch-hard, margin .5:
    // anchor 0: pos 1, hardest neg 1.2 -> .3; anchor 1: pos 1, neg .2 -> 1.3; anchor 2: pos 3.8, neg .2 -> 4.1;
    // anchor 3: pos 3.8, neg 4 -> .3
    EXPECT_NEAR(ml::tripletLossValue({0.0f, 1.0f, 1.2f, 5.0f}, 1, {0, 0, 1, 1}, 0.5), (0.3 + 1.3 + 4.1 + 0.3) / 4, 1e-5);
    // Well separated classes cost nothing.
    EXPECT_NEAR(ml::tripletLossValue({0.0f, 0.1f, 5.0f, 5.1f}, 1, {0, 0, 1, 1}, 0.5), 0.0, 1e-6);
    auto losses = ml::siameseLosses();
    ASSERT_NE(losses, nullptr);
    EXPECT_THROW(ml::contrastiveLossValue({1.0f}, {}, 1.0), Error);
}

TEST(SiameseNetworks, ShapesParametersAndPairStacking) {
    ASSERT_TRUE(ml::hasArchitecture("siamese_cnn"));
    ASSERT_TRUE(ml::hasArchitecture("siamese_dense"));
    // The tutorial's IS 2b network on 80x80 items has ~663k parameters.
    const auto params = ml::parameterCount(ml::ModelSpec::parse("siamese_cnn"), {160, 80}, 1);
    EXPECT_NEAR(double(params), 663e3, 5e3);
    EXPECT_THROW(ml::parameterCount(ml::ModelSpec::parse("siamese_cnn"), {161, 80}, 1), Error);
    EXPECT_THROW(ml::parameterCount(ml::ModelSpec::parse("siamese_dense:input=both"), {10, 1}, 1), Error);

    auto a = Matrix::column({1, 2}), b = Matrix::column({3, 4});
    auto s = ml::stackPair(a, b);
    EXPECT_EQ(s.bins(), 4u);
    EXPECT_EQ(s, Matrix::column({1, 2, 3, 4}));
    EXPECT_THROW(ml::stackPair(a, Matrix::column({1})), Error);
}

TEST(SiameseTraining, ContrastiveCnnOnLabelPairsLossFallsAndClassesSeparate) {
    std::mt19937 rng(7);
    std::vector<ml::FeatureMatrix> items;
    std::vector<std::string> labels;
    for (int i = 0; i < 48; ++i) {
        items.push_back(item(i % 3, 3, 24, 24, rng));
        labels.push_back("c" + std::to_string(i % 3));
    }
    std::vector<ml::ItemPair> pairs;
    for (const auto& p : similarity::pairsFromLabels(labels, {.perItem = 2, .identity = true, .seed = 3}))
        pairs.push_back({p.a, p.b, p.target});
    auto dataset = ml::makePairDataset("pairs", items, pairs);
    EXPECT_EQ(dataset.size(), pairs.size());
    EXPECT_EQ(dataset.inputShape(), (ml::InputShape{48, 24}));

    const auto dir = test::freshDir("similarity-siamese-cnn");
    const ml::TrainingConfig config{
        .learningRate = 2e-3, .epochs = 4, .batchSize = 16, .threads = 1, .loss = "contrastive", .runDir = dir};
    auto losses = ml::siameseLosses();
    ml::Trainer trainer(ml::ModelSpec::parse("siamese_cnn:embedding=32,filters=8"), config, dataset, nullptr, nullptr,
                        losses.get());
    auto result = trainer.run();
    ASSERT_EQ(result.state, ml::TrainingState::Finished) << result.message;
    ASSERT_EQ(result.history.size(), 4u);
    EXPECT_LT(result.history.back().trainLoss, 0.8 * result.history.front().trainLoss);

    auto predictor = ml::Predictor::load(dir);
    std::vector<std::vector<float>> embeddings;
    std::vector<std::string> testLabels;
    std::mt19937 fresh(99);
    for (int i = 0; i < 18; ++i) {
        embeddings.push_back(ml::siameseEmbed(predictor, item(i % 3, 3, 24, 24, fresh)));
        testLabels.push_back("c" + std::to_string(i % 3));
    }
    EXPECT_EQ(embeddings[0].size(), 32u);
    EXPECT_NEAR(similarity::euclideanDistance(embeddings[0], std::vector<float>(32, 0.0f)), 1.0, 1e-4);  // unit length
    EXPECT_LT(meanDistance(embeddings, testLabels, true), 0.6 * meanDistance(embeddings, testLabels, false));
}

TEST(SiameseTraining, DenseTripletWithHardNegativesLossFalls) {
    // Feature vectors of 3 classes whose centres differ in a few dimensions, in item mode with one-hot targets.
    std::mt19937 rng(5);
    std::normal_distribution<float> g;
    ml::Dataset dataset("vectors", TaskSpec::parse("single:a,b,c"));
    for (int i = 0; i < 90; ++i) {
        std::vector<float> v(20);
        for (float& x : v) x = g(rng);
        v[std::size_t(i % 3)] += 3.0f;
        ml::ExampleInfo info{.id = std::to_string(i), .group = std::to_string(i), .target = {0, 0, 0}};
        info.target[std::size_t(i % 3)] = 1.0f;
        dataset.add(std::move(info), Matrix::column(v));
    }
    const ml::TrainingConfig config{.learningRate = 3e-3, .epochs = 6, .batchSize = 30, .threads = 1, .loss = "triplet"};
    auto losses = ml::siameseLosses();
    ml::Trainer trainer(ml::ModelSpec::parse("siamese_dense:input=item,hidden=32,embedding=8"), config, dataset, nullptr,
                        nullptr, losses.get());
    auto result = trainer.run();
    ASSERT_EQ(result.state, ml::TrainingState::Finished) << result.message;
    EXPECT_LT(result.history.back().trainLoss, 0.7 * result.history.front().trainLoss);
}
