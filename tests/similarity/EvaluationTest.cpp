#include "core/similarity/EmbeddingMatrix.h"
#include "core/similarity/RetrievalEvaluation.h"
#include "core/util/Error.h"

#include <gtest/gtest.h>

using namespace sonolab::similarity;

TEST(RetrievalEvaluation, RankMetricsOnARelevanceList) {
    const std::vector<bool> r{true, false, true};
    EXPECT_DOUBLE_EQ(precisionAtK(r, 1), 1.0);
    EXPECT_DOUBLE_EQ(precisionAtK(r, 2), 0.5);
    EXPECT_DOUBLE_EQ(precisionAtK(r, 3), 2.0 / 3);
    EXPECT_DOUBLE_EQ(precisionAtK(r, 6), 2.0 / 6);  // fewer items than k count as misses
    EXPECT_DOUBLE_EQ(averagePrecision(r), (1.0 + 2.0 / 3) / 2);
    EXPECT_DOUBLE_EQ(averagePrecision({false, false}), 0.0);
}

namespace {

// Five points on a line; rows 0 and 1 are clips of the same source track (group g0).
struct HandMade {
    EmbeddingMatrix space{1};
    std::vector<std::vector<std::string>> labels{{"A"}, {"A"}, {"B"}, {"A"}, {"B"}};
    std::vector<std::string> groups{"g0", "g0", "g1", "g2", "g3"};
    HandMade() {
        for (float x : {0.0f, 1.0f, 2.0f, 3.5f, 10.0f}) space.append(std::int64_t(x * 10), std::vector<float>{x});
    }
};

}  // namespace

TEST(RetrievalEvaluation, HandMadeCaseLeavesOutTheQuerysOwnGroup) {
    HandMade h;
    auto report = evaluateRetrieval(h.space, h.labels, h.groups, {.k = 2});
    // Rankings (own group left out):
    //   q0: 2B 3A 4B -> P@2 .5, AP .5        q1: 2B 3A 4B -> .5, .5
    //   q2: 1A 3A 0A 4B -> 0, .25            q3: 2B 1A 0A 4B -> .5, (1/2 + 2/3)/2
    //   q4: 3A 2B 1A 0A -> .5, .5
    EXPECT_EQ(report.queries, 5u);
    EXPECT_NEAR(report.precisionAtK, 2.0 / 5, 1e-12);
    EXPECT_NEAR(report.meanAveragePrecision, (0.5 + 0.5 + 0.25 + (0.5 + 2.0 / 3) / 2 + 0.5) / 5, 1e-12);
    ASSERT_EQ(report.perLabel.size(), 2u);
    EXPECT_EQ(report.perLabel[0].label, "A");
    EXPECT_EQ(report.perLabel[0].queries, 3u);
    EXPECT_NEAR(report.perLabel[0].precisionAtK, 0.5, 1e-12);
    EXPECT_NEAR(report.perLabel[0].meanAveragePrecision, (0.5 + 0.5 + (0.5 + 2.0 / 3) / 2) / 3, 1e-12);
    EXPECT_EQ(report.perLabel[1].label, "B");
    EXPECT_NEAR(report.perLabel[1].precisionAtK, 0.25, 1e-12);
    EXPECT_NEAR(report.perLabel[1].meanAveragePrecision, (0.25 + 0.5) / 2, 1e-12);
}

TEST(RetrievalEvaluation, ChanceAndBestPossiblePrecisionFromEachQuerysCandidates) {
    HandMade h;
    auto report = evaluateRetrieval(h.space, h.labels, h.groups, {.k = 2});
    // Relevant / candidates per query (own group left out): q0 1/3, q1 1/3, q2 1/4, q3 2/4, q4 1/4. A random ranking's
    // precision@2 is that share; a perfect one puts min(relevant, 2) of them in the top 2.
    EXPECT_NEAR(report.chancePrecisionAtK, (1.0 / 3 + 1.0 / 3 + 0.25 + 0.5 + 0.25) / 5, 1e-12);
    EXPECT_NEAR(report.bestPrecisionAtK, (0.5 + 0.5 + 0.5 + 1.0 + 0.5) / 5, 1e-12);
}

TEST(RetrievalEvaluation, SomeRowsAskedAllRowsCandidatesAndReportsPooledAsOne) {
    HandMade h;
    const auto part = [&](std::vector<bool> queries) {
        return evaluateRetrieval(h.space, h.labels, h.groups, {.k = 2, .queries = std::move(queries)});
    };
    // q2 and q3 asked; rows 0, 1 and 4 stay candidates (q2 ranks 1A 3A 0A 4B).
    const auto some = part({false, false, true, true, false});
    EXPECT_EQ(some.queries, 2u);
    EXPECT_NEAR(some.precisionAtK, (0 + 0.5) / 2, 1e-12);
    EXPECT_NEAR(some.meanAveragePrecision, (0.25 + (0.5 + 2.0 / 3) / 2) / 2, 1e-12);
    // The other rows asked, then both reports pooled: the report of every row asked at once.
    const auto pooled = pooledReport({part({true, true, false, false, true}), some});
    const auto all = evaluateRetrieval(h.space, h.labels, h.groups, {.k = 2});
    EXPECT_EQ(pooled.queries, all.queries);
    EXPECT_NEAR(pooled.precisionAtK, all.precisionAtK, 1e-12);
    EXPECT_NEAR(pooled.meanAveragePrecision, all.meanAveragePrecision, 1e-12);
    EXPECT_NEAR(pooled.chancePrecisionAtK, all.chancePrecisionAtK, 1e-12);
    ASSERT_EQ(pooled.perLabel.size(), 2u);
    EXPECT_EQ(pooled.perLabel[1].queries, 2u);
    EXPECT_NEAR(pooled.perLabel[1].precisionAtK, all.perLabel[1].precisionAtK, 1e-12);
    EXPECT_THROW(part({true}), sonolab::Error);
}

TEST(RetrievalEvaluation, WithoutGroupsTheSameTrackClipCountsAndUnlabelledItemsAreNotQueries) {
    HandMade h;
    h.labels[4].clear();  // unlabelled: never a query, never relevant
    auto report = evaluateRetrieval(h.space, h.labels, {}, {.k = 2});
    EXPECT_EQ(report.queries, 4u);
    // q0: 1A 2B 3A 4- -> P@2 .5, AP (1 + 2/3)/2; q1: 0A/2B tie at 1 -> stable order keeps row 0 first: 0A 2B 3A -> .5
    // q2: 1A 3A 0A 4- -> 0, 0 (no B left); q3: 2B 1A 0A -> .5
    EXPECT_NEAR(report.precisionAtK, (0.5 + 0.5 + 0 + 0.5) / 4, 1e-12);
    EXPECT_THROW(evaluateRetrieval(h.space, {{"A"}}, {}, {}), sonolab::Error);
}

TEST(RetrievalEvaluation, GroupedDistanceRanksByTheWeightedGroups) {
    // Two groups of one dimension each; down-weighting the second group changes who is nearest.
    EmbeddingMatrix space(2);
    space.append(1, std::vector<float>{0, 0});
    space.append(2, std::vector<float>{1, 5});
    space.append(3, std::vector<float>{4, 0});
    std::vector<std::vector<std::string>> labels{{"x"}, {"x"}, {"y"}};
    FeatureGroups plain{.sizes = {1, 1}, .weights = {1, 1}, .scaling = GroupScaling::None};
    FeatureGroups weighted{.sizes = {1, 1}, .weights = {1, 0.1f}, .scaling = GroupScaling::None};
    // Plain: q0 -> row 2 (6 vs 4, miss), q1 -> row 0 (6 vs 8, hit), q2 -> row 0 (4 vs 8, miss).
    auto a = evaluateRetrieval(space, labels, {}, {.k = 1, .groups = plain});
    EXPECT_NEAR(a.precisionAtK, 1 / 3.0, 1e-12);
    // Weighted: q0 -> row 1 (1.5 vs 4, hit), q1 -> row 0 (1.5 vs 3.5, hit), q2 -> row 1 (3.5 vs 4, miss).
    auto b = evaluateRetrieval(space, labels, {}, {.k = 1, .groups = weighted});
    EXPECT_NEAR(b.precisionAtK, 2 / 3.0, 1e-12);
    auto euclid = evaluateRetrieval(space, labels, {}, {.k = 1, .metric = Metric::Euclidean});
    EXPECT_NEAR(euclid.precisionAtK, 1 / 3.0, 1e-12);
}
