#include "Synthetic.h"

#include "core/util/Error.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>

using namespace sonolab::ml;
using sonolab::TaskKind;
using sonolab::TaskSpec;

namespace {

FeatureMatrix ramp(std::size_t bands, std::size_t frames, float offset = 0) {
    FeatureMatrix m(bands, frames, sonolab::Layout::BinsByFrames);
    for (std::size_t b = 0; b < bands; ++b)
        for (std::size_t f = 0; f < frames; ++f) m.mutableRow(b)[f] = offset + float(b * 100 + f);
    return m;
}

}  // namespace

TEST(Dataset, RejectsTargetsOfTheWrongWidth) {
    Dataset d("d", TaskSpec::parse("single:a,b,c"));
    EXPECT_THROW(d.add({"x", "", {1.0f, 0.0f}}, ramp(2, 3)), sonolab::Error);
    d.add({"x", "", {1.0f, 0.0f, 0.0f}}, ramp(2, 3));
    EXPECT_EQ(d.size(), 1u);
}

TEST(Dataset, PerBandStandardisationFittedOnItsOwnExamples) {
    Dataset d("d", TaskSpec::parse("binary:x"));
    d.add({"a", "", {1}}, ramp(2, 4));         // band 0: 0..3, band 1: 100..103
    d.add({"b", "", {0}}, ramp(2, 4, 10.0f));  // band 0: 10..13, band 1: 110..113
    auto s = d.fitStandardization(StandardizationMode::PerBand);
    ASSERT_EQ(s.mean.size(), 2u);
    EXPECT_NEAR(s.mean[0], 6.5, 1e-5);
    EXPECT_NEAR(s.mean[1], 106.5, 1e-5);
    // population std of {0,1,2,3,10,11,12,13} = sqrt(26.25)
    EXPECT_NEAR(1.0 / s.scale[0], std::sqrt(26.25), 1e-4);
    d.setStandardization(s);
    std::vector<float> out(8);
    std::mt19937_64 rng(1);
    d.fill(0, false, rng, out.data());
    EXPECT_NEAR(out[0], (0 - 6.5) / std::sqrt(26.25), 1e-5);
    EXPECT_NEAR(out[4], (100 - 106.5) / std::sqrt(26.25), 1e-5);
}

TEST(Dataset, CropsCentreForEvaluationRandomForTrainingAndPadsShortOnes) {
    Dataset d("d", TaskSpec::parse("binary:x"));
    d.add({"long", "", {1}}, ramp(1, 10));
    d.add({"short", "", {0}}, ramp(1, 2));
    d.setWindowFrames(4);
    EXPECT_EQ(d.inputShape(), (InputShape{1, 4}));
    std::vector<float> out(4);
    std::mt19937_64 rng(7);
    d.fill(0, false, rng, out.data());
    EXPECT_EQ(out, (std::vector<float>{3, 4, 5, 6}));  // centre of 0..9
    std::set<float> starts;
    for (int k = 0; k < 50; ++k) {
        d.fill(0, true, rng, out.data());
        EXPECT_EQ(out[1] - out[0], 1.0f);
        starts.insert(out[0]);
    }
    EXPECT_GT(starts.size(), 3u);  // random positions 0..6
    EXPECT_LE(*starts.rbegin(), 6.0f);
    d.fill(1, false, rng, out.data());
    EXPECT_EQ(out, (std::vector<float>{0, 1, 0, 0}));
}

TEST(Dataset, DifferentLengthsWithoutWindowAreAnError) {
    Dataset d("d", TaskSpec::parse("binary:x"));
    d.add({"a", "", {1}}, ramp(1, 10));
    d.add({"b", "", {0}}, ramp(1, 5));
    EXPECT_THROW(d.inputShape(), sonolab::Error);
}

TEST(Dataset, LazyExamplesLoadOnceAndCheckTheirShape) {
    Dataset d("d", TaskSpec::parse("binary:x"));
    std::atomic<int> loads{0};
    d.addLazy({"a", "", {1}}, {2, 3}, [&] {
        ++loads;
        return ramp(2, 3);
    });
    d.addLazy({"bad", "", {0}}, {2, 3}, [] { return ramp(2, 4); });
    EXPECT_EQ(d.features(0).size(), 6u);
    EXPECT_EQ(d.features(0).size(), 6u);
    EXPECT_EQ(loads.load(), 1);
    EXPECT_THROW(d.features(1), sonolab::Error);
    EXPECT_THROW(d.preload(2), sonolab::Error);
}

TEST(Dataset, AugmentationChangesOnlyTrainingCrops) {
    auto d = test::syntheticDataset("binary:x", 2, 8, 8, 3);
    Augmentation a;
    a.noiseStd = 0.5f;
    d.setAugmentation(a);
    std::vector<float> x(64), y(64), z(64);
    std::mt19937_64 rng(1);
    d.fill(0, false, rng, x.data());
    d.fill(0, false, rng, y.data());
    EXPECT_EQ(x, y);
    d.fill(0, true, rng, z.data());
    EXPECT_NE(x, z);
}

TEST(Dataset, PositivesCountsPerOutput) {
    auto d = test::syntheticDataset("single:a,b,c", 7, 4, 4, 1);
    EXPECT_EQ(d.positives(), (std::vector<std::size_t>{3, 2, 2}));
}
