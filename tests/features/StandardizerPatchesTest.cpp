#include "core/features/FeatureMatrix.h"
#include "core/features/Patches.h"
#include "core/features/Standardizer.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

using namespace sonolab::features;
namespace t = sonolab::test;

namespace {
FeatureMatrix randomMatrix(std::size_t bands, std::size_t frames, std::mt19937& rng) {
    std::vector<float> v(bands * frames);
    for (std::size_t b = 0; b < bands; ++b) {
        std::normal_distribution<float> g(float(b) * 10.0f, 1.0f + float(b));
        for (std::size_t f = 0; f < frames; ++f) v[b * frames + f] = g(rng);
    }
    return FeatureMatrix(std::move(v), {bands, frames});
}
}  // namespace

TEST(Standardizer, IncrementalFitEqualsDirectStatisticsAndRoundTripsThroughText) {
    std::mt19937 rng(5);
    std::vector<FeatureMatrix> train{randomMatrix(4, 50, rng), randomMatrix(4, 173, rng), randomMatrix(4, 9, rng)};
    Standardizer s;
    s.fit(train);
    ASSERT_EQ(s.bands(), 4u);
    EXPECT_EQ(s.count(), 232u);
    for (std::size_t b = 0; b < 4; ++b) {
        double sum = 0, sq = 0;
        for (auto& m : train)
            for (std::size_t f = 0; f < m.cols(); ++f) sum += m.at(b, f);
        const double mean = sum / 232;
        for (auto& m : train)
            for (std::size_t f = 0; f < m.cols(); ++f) sq += (m.at(b, f) - mean) * (m.at(b, f) - mean);
        EXPECT_NEAR(s.mean()[b], mean, 1e-4);
        EXPECT_NEAR(s.stddev()[b], std::sqrt(sq / 232), 1e-4);
    }
    // Applied to the training data: each band has mean 0 and std 1 overall.
    double total = 0;
    for (auto& m : train) {
        auto z = s.applied(m);
        for (std::size_t f = 0; f < m.cols(); ++f) total += z[2 * m.cols() + f];
    }
    EXPECT_NEAR(total / 232, 0.0, 1e-4);

    auto dir = t::freshDir("features-standardizer");
    s.save(dir / "std.txt");
    auto loaded = Standardizer::load(dir / "std.txt");
    EXPECT_EQ(loaded.mean(), s.mean());
    EXPECT_EQ(loaded.stddev(), s.stddev());
    std::vector<float> wrong(3 * 5);
    EXPECT_THROW(s.apply(wrong, 3, 5), sonolab::Error);
    EXPECT_THROW(Standardizer::load(dir / "missing.txt"), sonolab::Error);
}

TEST(Patches, CentreRandomAndSlidingCropsCutTheRightFrames) {
    // values[b][f] = 100 b + f
    const std::size_t bands = 3, frames = 20;
    std::vector<float> v(bands * frames);
    for (std::size_t b = 0; b < bands; ++b)
        for (std::size_t f = 0; f < frames; ++f) v[b * frames + f] = float(100 * b + f);
    PatchParams p{.frames = 8, .hop = 5, .padValue = -1};
    auto c = centreCrop(v, bands, frames, p);
    ASSERT_EQ(c.size(), bands * 8);
    EXPECT_FLOAT_EQ(c[0], 6.0f);
    EXPECT_FLOAT_EQ(c[2 * 8 + 7], 213.0f);

    std::mt19937_64 a(11), b(11);
    std::set<std::size_t> starts;
    for (int i = 0; i < 200; ++i) {
        const auto s1 = randomCropStart(frames, 8, a);
        EXPECT_EQ(s1, randomCropStart(frames, 8, b));  // same seed, same crops
        EXPECT_LE(s1, frames - 8);
        starts.insert(s1);
    }
    EXPECT_EQ(starts.size(), 13u);  // every possible start is reachable

    EXPECT_EQ(slidingStarts(frames, p), (std::vector<std::size_t>{0, 5, 10, 12}));
    auto w = slidingWindows(v, bands, frames, p);
    ASSERT_EQ(w.size(), 4u);
    EXPECT_FLOAT_EQ(w[3][7], 19.0f);

    // Shorter than a patch: padded at the end.
    auto shortOne = centreCrop(std::span(v).first(bands * 0), 0, 0, p);
    EXPECT_TRUE(shortOne.empty());
    std::vector<float> tiny{1, 2, 3};
    auto padded = centreCrop(tiny, 1, 3, p);
    EXPECT_EQ(padded, (std::vector<float>{1, 2, 3, -1, -1, -1, -1, -1}));
}
