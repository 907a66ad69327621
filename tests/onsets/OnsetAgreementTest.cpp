// Two independent implementations of the tutorial's spectral flux in the project must agree: core/onsets (which
// also builds the multi-resolution features) and core/dsp's OnsetStrength, and so must the two peak pickers.
#include "core/dsp/OnsetStrength.h"
#include "core/dsp/PeakPicking.h"
#include "core/onsets/OnsetFeatures.h"
#include "core/onsets/OnsetPeakPicking.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace sonolab;

TEST(OnsetAgreement, FluxAndPeaksEqualCoreDsp) {
    std::mt19937 rng(9);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> x(44100 * 3, 0.0f);
    for (double t : {0.25, 0.7, 1.1, 1.9, 2.4}) {
        const auto s = std::size_t(t * 44100);
        for (std::size_t i = 0; i < 8000; ++i)
            x[s + i] += 0.4f * float(std::exp(-double(i) / 1500.0)) * (0.5f * u(rng) + float(std::sin(0.05 * double(i))));
    }
    const auto mine = onsets::spectralFlux(x);
    dsp::OnsetStrength theirs;
    const auto ref = theirs.compute(x);
    ASSERT_EQ(mine.size(), ref.size());
    float peak = 0;
    for (float v : ref) peak = std::max(peak, v);
    ASSERT_GT(peak, 1.0f);
    for (std::size_t i = 0; i < mine.size(); ++i) EXPECT_NEAR(mine[i], ref[i], 1e-4f * peak) << "frame " << i;

    const auto myPeaks = onsets::pickPeaks(mine, {});
    const auto theirPeaks = dsp::pickPeaks(mine, {});
    ASSERT_EQ(myPeaks.size(), theirPeaks.size());
    for (std::size_t i = 0; i < myPeaks.size(); ++i) EXPECT_EQ(std::size_t(myPeaks[i]), theirPeaks[i]);
}
