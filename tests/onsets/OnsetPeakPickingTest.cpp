// Peak picking on hand-made detection functions, and the smoothing against numpy's convolution.
#include "core/onsets/OnsetPeakPicking.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

using namespace sonolab;
using namespace sonolab::onsets;

TEST(PeakPicking, ThresholdIsRelativeToTheMovingAverage) {
    // Two peaks of 2.0 and one of 1.0 on a zero background; pre_avg 15 averages the peak itself in (2/16).
    std::vector<float> act(60, 0.0f);
    act[10] = 2.0f;
    act[30] = 1.0f;
    act[50] = 2.0f;
    const auto peaks = pickPeaks(act, {.threshold = 1.25f, .preAvg = 15, .postAvg = 0, .preMax = 1, .postMax = 5});
    EXPECT_EQ(peaks, (std::vector<int>{10, 50}));
    // The moving average includes the peak itself (pre_avg 15, post_avg 0: 16 frames): a peak of 1.3 stays below
    // 1.3/16 + 1.25, one of 1.4 passes 1.4/16 + 1.25.
    std::vector<float> small(60, 0.0f);
    small[30] = 1.3f;
    EXPECT_TRUE(pickPeaks(small, {.threshold = 1.25f}).empty());
    small[30] = 1.4f;
    EXPECT_EQ(pickPeaks(small, {.threshold = 1.25f}), (std::vector<int>{30}));
}

TEST(PeakPicking, MaximumWindowKeepsOnlyTheLargestOfClosePeaks) {
    std::vector<float> act(40, 0.0f);
    act[10] = 3.0f;
    act[14] = 4.0f;  // within post_max 5 of frame 10: frame 10 is not a local maximum
    act[25] = 3.0f;
    act[26] = 3.0f;  // a plateau: both equal the window maximum, both stay (as madmom)
    const auto peaks = pickPeaks(act, {.threshold = 1.0f, .preAvg = 0, .postAvg = 0, .preMax = 1, .postMax = 5});
    EXPECT_EQ(peaks, (std::vector<int>{14, 25, 26}));
    // pre_max 1 only: frame 10 is 4 frames before 14 and survives when post_max is 1 too.
    const auto narrow = pickPeaks(act, {.threshold = 1.0f, .preAvg = 0, .postAvg = 0, .preMax = 1, .postMax = 1});
    EXPECT_EQ(narrow, (std::vector<int>{10, 14, 25, 26}));
}

TEST(PeakPicking, SmoothingMatchesNumpyConvolve) {
    std::vector<float> act(50, 0.0f);
    act[3] = 1.0f;
    act[20] = 0.5f;
    act[21] = 0.7f;
    act[48] = 0.9f;
    const auto smoothed = smoothActivation(act, 7);
    // np.convolve(act, np.hamming(7), 'same') by hand at a few points: hamming(7) = .08 .31 .77 1 .77 .31 .08
    EXPECT_NEAR(smoothed[3], 1.0f, 1e-6f);
    EXPECT_NEAR(smoothed[0], 0.08f, 1e-6f);
    EXPECT_NEAR(smoothed[1], 0.31f, 1e-6f);
    EXPECT_NEAR(smoothed[6], 0.08f, 1e-6f);
    EXPECT_NEAR(smoothed[20], 0.5f + 0.7f * 0.77f, 1e-6f);
    EXPECT_NEAR(smoothed[49], 0.9f * 0.77f, 1e-6f);
    const auto py = test::pythonWithNumpy();
    if (py.empty()) GTEST_SKIP() << "no /usr/bin/python3 with numpy for the full comparison";
    const auto dir = test::freshDir("onsets-smooth");
    writeNpy(dir / "a.npy", act, std::vector<std::size_t>{act.size()});
    ASSERT_EQ(test::run(py + " " + (test::sourceDir() / "scripts/reference/madmom_onsets_reference.py").string() +
                        " smooth " + (dir / "a.npy").string() + " " + (dir / "s.npy").string() + " kernel=7"), 0);
    const auto ref = readNpy(dir / "s.npy");
    ASSERT_EQ(ref.data.size(), smoothed.size());
    for (std::size_t i = 0; i < smoothed.size(); ++i) EXPECT_NEAR(smoothed[i], ref.data[i], 1e-6f);
}

TEST(PeakPicking, CombineKeepsTheFirstOrTheMean) {
    EXPECT_EQ(combineEvents({1.0, 1.02, 1.05, 2.0}, 0.03), (std::vector<double>{1.0, 1.05, 2.0}));
    const auto mean = combineEvents({1.0, 1.02, 2.0}, 0.03, CombineMode::Mean);
    ASSERT_EQ(mean.size(), 2u);
    EXPECT_NEAR(mean[0], 1.01, 1e-12);
    EXPECT_TRUE(combineEvents({}, 0.03).empty());
}

TEST(PeakPicking, OnsetPeakPickingUsesSecondsAndCombines) {
    // Two activation bumps 2 frames apart merge into one after smoothing; a third far away stays.
    std::vector<float> act(100, 0.0f);
    act[20] = 0.9f;
    act[60] = 0.3f;
    act[63] = 0.3f;  // each alone is below 0.35 after smoothing? 0.3 * 1.0 = 0.3 < 0.35 ... together they pass
    act[61] = 0.2f;
    act[62] = 0.2f;
    const auto onsets = pickOnsets(act, {.fps = 100, .threshold = 0.35f, .smooth = 0.07, .combine = 0.03});
    ASSERT_EQ(onsets.size(), 2u);
    EXPECT_NEAR(onsets[0], 0.20, 1e-9);
    EXPECT_NEAR(onsets[1], 0.61, 0.011);  // the smoothed maximum lies between the two bumps
    // Without smoothing the 0.3 bumps are below the threshold.
    const auto raw = pickOnsets(act, {.fps = 100, .threshold = 0.35f, .smooth = 0.0});
    EXPECT_EQ(raw.size(), 1u);
}
