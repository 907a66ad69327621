#include "core/similarity/EmbeddingMatrix.h"
#include "core/similarity/Projection.h"
#include "core/util/Progress.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace sonolab::similarity;

namespace {

// Two clusters in 10-d, far apart along (1,1,...,1); label = cluster.
EmbeddingMatrix twoClusters(std::size_t perCluster, std::vector<int>& labels) {
    std::mt19937 rng(2);
    std::normal_distribution<float> g(0, 0.3f);
    EmbeddingMatrix m(10);
    for (std::size_t i = 0; i < 2 * perCluster; ++i) {
        const int c = int(i % 2);
        std::vector<float> v(10);
        for (float& x : v) x = g(rng) + (c ? 3.0f : -3.0f);
        m.append(std::int64_t(i), v);
        labels.push_back(c);
    }
    return m;
}

double separation(const std::vector<Point2>& p, const std::vector<int>& labels) {
    double intra = 0, inter = 0;
    int ni = 0, ne = 0;
    for (std::size_t i = 0; i < p.size(); ++i)
        for (std::size_t j = i + 1; j < p.size(); ++j) {
            const double d = std::hypot(p[i].x - p[j].x, p[i].y - p[j].y);
            if (labels[i] == labels[j]) intra += d, ++ni;
            else inter += d, ++ne;
        }
    return (inter / ne) / (intra / ni);
}

// Share of points whose nearest other point on the map carries the same label.
double nearestNeighbourPurity(const std::vector<Point2>& p, const std::vector<int>& labels) {
    int same = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        std::size_t best = i == 0 ? 1 : 0;
        for (std::size_t j = 0; j < p.size(); ++j)
            if (j != i && std::hypot(p[i].x - p[j].x, p[i].y - p[j].y) < std::hypot(p[i].x - p[best].x, p[i].y - p[best].y))
                best = j;
        same += labels[i] == labels[best];
    }
    return double(same) / double(p.size());
}

}  // namespace

TEST(Projection, PcaFindsTheDirectionOfLargestSpread) {
    // Points on a line along (3, 4) / 5 with small noise off it: the first component is that line.
    EmbeddingMatrix m(2);
    std::mt19937 rng(1);
    std::normal_distribution<float> g(0, 0.01f);
    for (int i = -10; i <= 10; ++i) m.append(i, std::vector<float>{0.6f * i + g(rng), 0.8f * i + g(rng)});
    auto p = pca2d(m);
    ASSERT_EQ(p.size(), 21u);
    for (int i = -10; i <= 10; ++i) {
        EXPECT_NEAR(std::abs(p[std::size_t(i + 10)].x), std::abs(double(i)), 0.05);
        EXPECT_NEAR(p[std::size_t(i + 10)].y, 0.0, 0.05);
    }
    std::vector<int> labels;
    auto clusters = twoClusters(20, labels);
    EXPECT_GT(separation(pca2d(clusters), labels), 5.0);
}

TEST(Projection, TsneKeepsClustersApartAndCanBeCancelled) {
    std::vector<int> labels;
    auto m = twoClusters(25, labels);
    int reports = 0;
    sonolab::Progress progress;
    progress.report = [&](double, double, const std::string&) { ++reports; };
    auto p = tsne2d(m, {.perplexity = 10, .iterations = 300}, &progress);
    ASSERT_EQ(p.size(), 50u);
    EXPECT_GT(separation(p, labels), 2.0);
    EXPECT_DOUBLE_EQ(nearestNeighbourPurity(p, labels), 1.0);
    EXPECT_GT(reports, 10);
    sonolab::Progress stop;
    stop.cancel.cancel();
    EXPECT_THROW(tsne2d(m, {}, &stop), sonolab::Cancelled);
}
