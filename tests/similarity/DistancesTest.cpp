#include "core/similarity/Distances.h"
#include "core/similarity/EmbeddingMatrix.h"
#include "core/similarity/ZScore.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace sonolab::similarity;

namespace {

std::vector<float> randomVector(std::size_t d, std::mt19937& rng) {
    std::normal_distribution<float> g;
    std::vector<float> v(d);
    for (float& x : v) x = g(rng);
    return v;
}

}  // namespace

TEST(Distances, MatchDefinitionsComputedInDouble) {
    std::mt19937 rng(3);
    for (int trial = 0; trial < 20; ++trial) {
        const std::size_t d = 1 + trial * 7;
        auto a = randomVector(d, rng), b = randomVector(d, rng);
        double l2 = 0, l1 = 0, ab = 0, aa = 0, bb = 0;
        for (std::size_t i = 0; i < d; ++i) {
            l2 += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
            l1 += std::abs(double(a[i]) - b[i]);
            ab += double(a[i]) * b[i];
            aa += double(a[i]) * a[i];
            bb += double(b[i]) * b[i];
        }
        EXPECT_NEAR(euclideanDistance(a, b), std::sqrt(l2), 1e-4 * std::sqrt(l2));
        EXPECT_NEAR(manhattanDistance(a, b), l1, 1e-4 * l1);
        EXPECT_NEAR(cosineDistance(a, b), 1 - ab / std::sqrt(aa * bb), 1e-5);
        EXPECT_FLOAT_EQ(distance(Metric::Manhattan, a, b), manhattanDistance(a, b));
    }
}

TEST(Distances, KnownValuesAndEdgeCases) {
    const std::vector<float> a{0, 0, 0}, b{3, 4, 0}, c{1, 0, 0}, d{0, 2, 0};
    EXPECT_FLOAT_EQ(euclideanDistance(a, b), 5.0f);
    EXPECT_FLOAT_EQ(manhattanDistance(a, b), 7.0f);
    EXPECT_NEAR(cosineDistance(c, d), 1.0f, 1e-6);        // orthogonal
    EXPECT_NEAR(cosineDistance(c, c), 0.0f, 1e-6);        // same direction
    EXPECT_FLOAT_EQ(cosineDistance(a, b), 1.0f);          // zero vector: no direction
    EXPECT_THROW(euclideanDistance(a, std::vector<float>{1, 2}), sonolab::Error);
    EXPECT_EQ(parseMetric("l1"), Metric::Manhattan);
    EXPECT_EQ(parseMetric(metricName(Metric::Cosine)), Metric::Cosine);
    EXPECT_THROW(parseMetric("hamming"), sonolab::Error);
}

TEST(Distances, GroupLengthScalingAndWeights) {
    // Two groups: dims {0,1} and {2,3,4}.
    FeatureGroups groups{.sizes = {2, 3}, .weights = {}, .scaling = GroupScaling::GroupLength};
    const std::vector<float> a{0, 0, 0, 0, 0}, b{3, 4, 1, 2, 2};
    // Group 1: |(3,4)| = 5, /2 = 2.5; group 2: |(1,2,2)| = 3, /3 = 1.
    EXPECT_NEAR(groupedDistance(groups, a, b), 3.5f, 1e-6);
    groups.weights = {0.5f, 0.9f};
    EXPECT_NEAR(groupedDistance(groups, a, b), 0.5f * 2.5f + 0.9f * 1.0f, 1e-6);
    groups.scaling = GroupScaling::None;
    groups.weights.clear();
    EXPECT_NEAR(groupedDistance(groups, a, b), 8.0f, 1e-6);
    groups.sizes = {2, 2};
    EXPECT_THROW(groupedDistance(groups, a, b), sonolab::Error);
}

TEST(Distances, CollectionMaxScalingDividesByTheGroupsLargestDistance) {
    FeatureGroups groups{.sizes = {1, 2}, .weights = {2.0f, 1.0f}, .scaling = GroupScaling::CollectionMax};
    EmbeddingMatrix m(3);
    m.append(10, std::vector<float>{1, 0, 0});
    m.append(11, std::vector<float>{2, 3, 4});
    m.append(12, std::vector<float>{0, 1, 0});
    const std::vector<float> q{0, 0, 0};
    // Squared per group: row0 (1, 0), row1 (4, 25), row2 (0, 1); maxima (4, 25).
    auto d = groupedDistances(groups, m, q);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_NEAR(d[0], std::sqrt(2.0 * 1 / 4 + 0.0), 1e-6);
    EXPECT_NEAR(d[1], std::sqrt(2.0 * 4 / 4 + 25.0 / 25), 1e-6);
    EXPECT_NEAR(d[2], std::sqrt(0 + 1.0 / 25), 1e-6);
    EXPECT_THROW(groupedDistance(groups, q, q), sonolab::Error);
    EXPECT_EQ(FeatureGroups::rpSsd(true).dimension(), 1608u);
}

TEST(ZScore, ColumnsGetZeroMeanUnitSpreadConstantsAndNanBecomeZero) {
    EmbeddingMatrix m(3);
    m.append(1, std::vector<float>{1, 5, 10});
    m.append(2, std::vector<float>{3, 5, 20});
    m.append(3, std::vector<float>{5, 5, NAN});
    auto z = ZScore::fit(m);
    EXPECT_FLOAT_EQ(z.mean()[0], 3.0f);
    EXPECT_NEAR(z.scale()[0], std::sqrt(8.0 / 3.0), 1e-6);
    EXPECT_FLOAT_EQ(z.mean()[2], 15.0f);  // NaN ignored in the fit
    z.apply(m);
    EXPECT_NEAR(m.row(0)[0], -2.0 / std::sqrt(8.0 / 3.0), 1e-5);
    EXPECT_FLOAT_EQ(m.row(1)[1], 0.0f);  // constant column
    EXPECT_FLOAT_EQ(m.row(2)[2], 0.0f);  // NaN
    EXPECT_FLOAT_EQ(m.row(0)[2], -1.0f);
    // Fitted on a subset (a training split) and applied to all.
    EmbeddingMatrix m2(1);
    for (float v : {0.f, 2.f, 100.f}) m2.append(int(v), std::vector<float>{v});
    const std::size_t train[] = {0, 1};
    auto z2 = ZScore::fit(m2, train);
    EXPECT_FLOAT_EQ(z2.mean()[0], 1.0f);
    EXPECT_FLOAT_EQ(z2.scale()[0], 1.0f);
}

TEST(EmbeddingMatrix, ConcatenateColumnsSaveLoad) {
    EmbeddingMatrix a(2), b(1);
    a.append(7, std::vector<float>{1, 2});
    a.append(8, std::vector<float>{3, 4});
    b.append(7, std::vector<float>{5});
    b.append(8, std::vector<float>{6});
    auto c = EmbeddingMatrix::concatenate(a, b);
    EXPECT_EQ(c.dim(), 3u);
    EXPECT_EQ(c.row(1)[2], 6.0f);
    EXPECT_EQ(c.columns(1, 2).row(0)[0], 2.0f);
    EXPECT_EQ(c.rowOf(8), 1);
    EXPECT_EQ(c.rowOf(9), -1);
    EXPECT_THROW(c.append(9, std::vector<float>{1}), sonolab::Error);
    const auto path = sonolab::test::freshDir("similarity_matrix") / "space.npy";
    c.save(path);
    auto back = EmbeddingMatrix::load(path);
    EXPECT_EQ(back.ids(), c.ids());
    EXPECT_EQ(back.values(), c.values());
}
