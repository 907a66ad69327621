// Every metric against values computed by hand (and cross-checked with scikit-learn's definitions).
#include "core/ml/Metrics.h"
#include "core/util/Error.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace sonolab::ml;
using sonolab::TaskKind;
using sonolab::TaskSpec;

TEST(Metrics, RocAucCountsCorrectlyOrderedPairs) {
    const std::vector<float> scores{0.1f, 0.4f, 0.35f, 0.8f};
    const std::vector<int> truth{0, 0, 1, 1};
    EXPECT_DOUBLE_EQ(rocAuc(scores, truth), 0.75);  // 3 of 4 positive/negative pairs ordered
}

TEST(Metrics, RocAucCountsTiesAsHalf) {
    const std::vector<float> scores{0.5f, 0.5f, 0.2f, 0.9f};
    const std::vector<int> truth{1, 0, 0, 1};
    EXPECT_DOUBLE_EQ(rocAuc(scores, truth), 3.5 / 4.0);
}

TEST(Metrics, RocAucUndefinedWithOneClass) {
    const std::vector<float> scores{0.5f, 0.7f};
    const std::vector<int> truth{1, 1};
    EXPECT_TRUE(std::isnan(rocAuc(scores, truth)));
}

TEST(Metrics, AveragePrecisionStepsOverRecall) {
    const std::vector<float> scores{0.1f, 0.4f, 0.35f, 0.8f};
    const std::vector<int> truth{0, 0, 1, 1};
    EXPECT_NEAR(averagePrecision(scores, truth), 0.5 * 1.0 + 0.5 * (2.0 / 3.0), 1e-12);
}

TEST(Metrics, AveragePrecisionGroupsTiedScores) {
    // Tied 0.5s (one positive, one negative) form one threshold: precision 2/3 at recall 1.
    const std::vector<float> scores{0.5f, 0.5f, 0.2f, 0.9f};
    const std::vector<int> truth{1, 0, 0, 1};
    EXPECT_NEAR(averagePrecision(scores, truth), 0.5 + 0.5 * (2.0 / 3.0), 1e-12);
}

TEST(Metrics, ConfusionAccuracyBalancedAccuracy) {
    const std::vector<int> truth{0, 0, 1, 1, 2, 2};
    const std::vector<int> pred{0, 1, 1, 1, 2, 0};
    const auto m = confusionMatrix(truth, pred, 3);
    const std::vector<std::vector<std::size_t>> expected{{1, 1, 0}, {0, 2, 0}, {1, 0, 1}};
    EXPECT_EQ(m, expected);
    EXPECT_DOUBLE_EQ(accuracy(truth, pred), 4.0 / 6.0);
    EXPECT_DOUBLE_EQ(balancedAccuracy(truth, pred, 3), (0.5 + 1.0 + 0.5) / 3.0);
}

TEST(Metrics, HammingLossCountsWrongDecisions) {
    const std::vector<int> truth{1, 0, 1, 0, 1, 0};
    const std::vector<int> pred{1, 1, 1, 0, 0, 0};
    EXPECT_DOUBLE_EQ(hammingLoss(truth, pred), 2.0 / 6.0);
}

TEST(Metrics, SingleLabelReport) {
    const TaskSpec task = TaskSpec::parse("single:a,b,c");
    auto onehot = [](int c) {
        std::vector<float> v(3, 0.0f);
        v[std::size_t(c)] = 1.0f;
        return v;
    };
    auto probs = [](int c) {
        std::vector<float> v(3, 0.1f);
        v[std::size_t(c)] = 0.8f;
        return v;
    };
    const std::vector<int> truth{0, 0, 1, 1, 2, 2};
    const std::vector<int> pred{0, 1, 1, 1, 2, 0};
    std::vector<std::vector<float>> p, t;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        t.push_back(onehot(truth[i]));
        p.push_back(probs(pred[i]));
    }
    const auto r = evaluate(task, p, t);
    EXPECT_DOUBLE_EQ(r.accuracy, 4.0 / 6.0);
    EXPECT_DOUBLE_EQ(r.balancedAccuracy, 2.0 / 3.0);
    ASSERT_EQ(r.perClass.size(), 3u);
    EXPECT_DOUBLE_EQ(r.perClass[0].precision, 0.5);
    EXPECT_DOUBLE_EQ(r.perClass[1].precision, 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(r.perClass[2].precision, 1.0);
    EXPECT_DOUBLE_EQ(r.perClass[0].recall, 0.5);
    EXPECT_DOUBLE_EQ(r.perClass[1].recall, 1.0);
    EXPECT_DOUBLE_EQ(r.perClass[2].recall, 0.5);
    EXPECT_NEAR(r.perClass[1].f1, 0.8, 1e-12);
    EXPECT_NEAR(r.macroF1, (0.5 + 0.8 + 2.0 / 3.0) / 3.0, 1e-12);
    EXPECT_EQ(r.perClass[2].support, 2u);
    EXPECT_NEAR(r.hammingLoss, 4.0 / 18.0, 1e-12);  // one-hot rows: 2 wrong bits per error
    EXPECT_EQ(r.confusion[2][0], 1u);
    EXPECT_EQ(r.confusion[0][1], 1u);
    EXPECT_EQ(r.asMap().count("macro_f1"), 1u);
}

TEST(Metrics, BinaryReport) {
    const TaskSpec task = TaskSpec::parse("binary:speech");
    const std::vector<float> scores{0.9f, 0.6f, 0.4f, 0.7f, 0.2f, 0.1f, 0.3f, 0.45f};
    const std::vector<int> truth{1, 1, 1, 0, 0, 0, 0, 0};
    std::vector<std::vector<float>> p, t;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        p.push_back({scores[i]});
        t.push_back({float(truth[i])});
    }
    const auto r = evaluate(task, p, t);
    EXPECT_DOUBLE_EQ(r.accuracy, 0.75);
    EXPECT_NEAR(r.balancedAccuracy, (2.0 / 3.0 + 4.0 / 5.0) / 2.0, 1e-12);
    EXPECT_NEAR(r.perClass[0].f1, 2.0 / 3.0, 1e-12);
    EXPECT_NEAR(r.macroF1, (2.0 / 3.0 + 0.8) / 2.0, 1e-12);
    const std::vector<std::vector<std::size_t>> confusion{{4, 1}, {1, 2}};
    EXPECT_EQ(r.confusion, confusion);
    EXPECT_NEAR(r.rocAuc, 12.0 / 15.0, 1e-12);
}

TEST(Metrics, MultiLabelReport) {
    const TaskSpec task = TaskSpec::parse("multi:x,y,z");
    const std::vector<std::vector<float>> t{{1, 0, 1}, {0, 1, 0}, {1, 1, 0}, {0, 0, 1}};
    const std::vector<std::vector<float>> p{{.9f, .2f, .4f}, {.1f, .8f, .3f}, {.7f, .45f, .2f}, {.3f, .6f, .9f}};
    const auto r = evaluate(task, p, t);
    EXPECT_DOUBLE_EQ(r.hammingLoss, 3.0 / 12.0);
    EXPECT_DOUBLE_EQ(r.accuracy, 0.25);  // subset accuracy: only row 2 exactly right
    EXPECT_DOUBLE_EQ(r.perClass[0].f1, 1.0);
    EXPECT_DOUBLE_EQ(r.perClass[1].f1, 0.5);
    EXPECT_NEAR(r.perClass[2].f1, 2.0 / 3.0, 1e-12);
    EXPECT_NEAR(r.macroF1, (1.0 + 0.5 + 2.0 / 3.0) / 3.0, 1e-12);
    EXPECT_NEAR(r.microF1, 8.0 / 11.0, 1e-12);
    // Per-tag ROC-AUC: x perfectly separated (1); y: pos {.8,.45} vs neg {.2,.6}: 3 of 4 pairs; z: pos {.4,.9}
    // vs neg {.3,.2}: 4 of 4.
    EXPECT_DOUBLE_EQ(r.perClass[0].rocAuc, 1.0);
    EXPECT_DOUBLE_EQ(r.perClass[1].rocAuc, 0.75);
    EXPECT_DOUBLE_EQ(r.perClass[2].rocAuc, 1.0);
    EXPECT_NEAR(r.rocAuc, (1.0 + 0.75 + 1.0) / 3.0, 1e-12);
}

TEST(Metrics, RejectsMismatchedShapes) {
    const TaskSpec task = TaskSpec::parse("multi:x,y");
    EXPECT_THROW(evaluate(task, {{0.1f}}, {{1.0f, 0.0f}}), sonolab::Error);
}
