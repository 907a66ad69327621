// Evaluation counting on hand-made cases: window edges, combining, double detections, sums and means.
#include "core/onsets/OnsetEvaluation.h"

#include <gtest/gtest.h>

using namespace sonolab::onsets;

TEST(OnsetEvaluation, WindowEdgesAreInclusive) {
    const std::vector<double> ann{1.0, 2.0, 3.0, 4.0};
    // +25 ms and -25 ms (exactly at the edge) count, as does -24 ms; 25.1 ms does not.
    const auto c = evaluateOnsets({1.025, 1.975, 3.0251, 3.976}, ann, {.window = 0.025, .combine = 0});
    EXPECT_EQ(c.truePositives, 3u);
    EXPECT_EQ(c.falsePositives, 1u);  // 3.0251
    EXPECT_EQ(c.falseNegatives, 1u);  // 3.0
    EXPECT_NEAR(c.precision(), 0.75, 1e-12);
    EXPECT_NEAR(c.recall(), 0.75, 1e-12);
    EXPECT_NEAR(c.fmeasure(), 0.75, 1e-12);
    ASSERT_EQ(c.errors.size(), 3u);
    EXPECT_NEAR(c.errors[0], 0.025, 1e-12);
}

TEST(OnsetEvaluation, DoubleDetectionsCountOnceAsTruePositive) {
    // Two detections 40 ms apart (not combined) around one annotation: one TP, one FP.
    const auto c = evaluateOnsets({0.49, 0.53}, {0.5}, {.window = 0.025, .combine = 0.03});
    EXPECT_EQ(c.truePositives, 1u);
    EXPECT_EQ(c.falsePositives, 1u);
    EXPECT_EQ(c.falseNegatives, 0u);
    // One detection between two annotations 30 ms apart that are not combined (combine off): one TP, one FN.
    const auto d = evaluateOnsets({1.015}, {1.0, 1.03}, {.window = 0.025, .combine = 0});
    EXPECT_EQ(d.truePositives, 1u);
    EXPECT_EQ(d.falseNegatives, 1u);
}

TEST(OnsetEvaluation, CombiningMergesCloseEventsToTheirMean) {
    // Detections 20 ms apart become one at 1.01; annotations 1.0 and 1.03 (30 ms) become one at 1.015.
    const auto c = evaluateOnsets({1.0, 1.02}, {1.0, 1.03}, {.window = 0.025, .combine = 0.03});
    EXPECT_EQ(c.truePositives, 1u);
    EXPECT_EQ(c.falsePositives, 0u);
    EXPECT_EQ(c.falseNegatives, 0u);
    ASSERT_EQ(c.errors.size(), 1u);
    EXPECT_NEAR(c.errors[0], 1.01 - 1.015, 1e-12);
    // Without combining the second detection is a second TP for the second annotation.
    const auto n = evaluateOnsets({1.0, 1.02}, {1.0, 1.03}, {.window = 0.025, .combine = 0});
    EXPECT_EQ(n.truePositives, 2u);
}

TEST(OnsetEvaluation, EmptyCasesFollowMadmom) {
    const auto none = evaluateOnsets({}, {});
    EXPECT_EQ(none.precision(), 1.0);
    EXPECT_EQ(none.recall(), 1.0);
    const auto missed = evaluateOnsets({}, {1.0, 2.0});
    EXPECT_EQ(missed.falseNegatives, 2u);
    EXPECT_EQ(missed.fmeasure(), 0.0);
    const auto spurious = evaluateOnsets({1.0}, {});
    EXPECT_EQ(spurious.falsePositives, 1u);
    EXPECT_EQ(spurious.precision(), 0.0);
}

TEST(OnsetEvaluation, SumAndMeanDifferWhenFilesDiffer) {
    // File a: 9 of 10 found, no false alarms. File b: 1 of 2 found, 1 false alarm.
    std::vector<double> annA, detA;
    for (int i = 0; i < 10; ++i) {
        annA.push_back(i * 0.5);
        if (i < 9) detA.push_back(i * 0.5 + 0.01);
    }
    std::vector<FileScore> files{{"a", evaluateOnsets(detA, annA)},
                                 {"b", evaluateOnsets({1.0, 5.0}, {1.01, 3.0})}};
    const auto s = summarize(files);
    EXPECT_EQ(s.files, 2u);
    EXPECT_EQ(s.sum.truePositives, 10u);
    EXPECT_EQ(s.sum.falsePositives, 1u);
    EXPECT_EQ(s.sum.falseNegatives, 2u);
    EXPECT_NEAR(s.sum.precision(), 10.0 / 11.0, 1e-12);
    EXPECT_NEAR(s.sum.recall(), 10.0 / 12.0, 1e-12);
    EXPECT_NEAR(s.meanPrecision, (1.0 + 0.5) / 2, 1e-12);
    EXPECT_NEAR(s.meanRecall, (0.9 + 0.5) / 2, 1e-12);
    const double fa = 2 * 1.0 * 0.9 / 1.9;
    EXPECT_NEAR(s.meanFmeasure, (fa + 0.5) / 2, 1e-12);
}

TEST(OnsetEvaluation, DelayShiftsDetections) {
    const auto c = evaluateOnsets({0.96, 1.96}, {1.0, 2.0}, {.window = 0.025, .combine = 0, .delay = 0.04});
    EXPECT_EQ(c.truePositives, 2u);
}
