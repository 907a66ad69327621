// Onset features against an independent numpy implementation of madmom's chain
// (scripts/reference/madmom_onsets_reference.py; the flux on random signals is in OnsetAgreementTest).
#include "core/onsets/LogFilterbank.h"
#include "core/onsets/OnsetFeatures.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace sonolab;
using namespace sonolab::onsets;

namespace {

std::string reference() { return (test::sourceDir() / "scripts/reference/madmom_onsets_reference.py").string(); }

// A few notes with sharp attacks and decays over noise: a signal with real onsets and a full spectrum.
std::vector<float> testSignal(double seconds, int sr = 44100) {
    std::vector<float> x(std::size_t(seconds * sr));
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, 0.01f);
    const double starts[] = {0.2, 0.55, 0.8, 1.3};
    const double freqs[] = {220.0, 660.0, 1500.0, 97.0};
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / sr;
        double v = noise(rng);
        for (int k = 0; k < 4; ++k)
            if (t >= starts[k]) v += 0.3 * std::exp(-(t - starts[k]) * 6.0) * std::sin(2 * M_PI * freqs[k] * (t - starts[k]));
        x[i] = float(v);
    }
    return x;
}

}  // namespace

TEST(LogFilterbank, BandCountsGiveTheTutorials314Dims) {
    EXPECT_EQ(LogFilterbank(512, 44100, {.bandsPerOctave = 3}).bands(), 21u);
    EXPECT_EQ(LogFilterbank(1024, 44100, {.bandsPerOctave = 6}).bands(), 45u);
    EXPECT_EQ(LogFilterbank(2048, 44100, {.bandsPerOctave = 12}).bands(), 91u);
    EXPECT_EQ(LogFilterbank(1024, 44100, {.bandsPerOctave = 12}).bands(), 81u);  // the 3a default
    EXPECT_EQ(rnnOnsetFeatureDims(), 314u);
}

TEST(LogFilterbank, FiltersAreNormalisedTriangles) {
    LogFilterbank fb(1024, 44100, {.bandsPerOctave = 12});
    for (const auto& f : fb.filters()) {
        double sum = 0;
        for (float w : f.weights) sum += w;
        EXPECT_NEAR(sum, 1.0, 1e-5);
        EXPECT_LE(f.start, f.centre);
        EXPECT_LT(f.centre, f.stop);
    }
    EXPECT_THROW(LogFilterbank(2, 44100), Error);  // fewer than 3 distinct bins
}

TEST(LogFilterbank, MatchesNumpyReference) {
    const auto py = test::pythonWithNumpy();
    if (py.empty()) GTEST_SKIP() << "no /usr/bin/python3 with numpy";
    const auto dir = test::freshDir("onsets-filterbank");
    for (auto [frame, bands] : {std::pair{1024, 3}, {2048, 6}, {4096, 12}, {2048, 12}}) {
        const auto out = dir / ("fb" + std::to_string(frame) + ".npy");
        ASSERT_EQ(test::run(py + " " + reference() + " filterbank " + out.string() + " frame_size=" +
                            std::to_string(frame) + " num_bands=" + std::to_string(bands)), 0);
        const auto ref = readNpy(out);
        LogFilterbank fb(std::size_t(frame / 2), 44100, {.bandsPerOctave = bands});
        ASSERT_EQ(ref.shape.size(), 2u);
        ASSERT_EQ(ref.shape[0], fb.fftBins());
        ASSERT_EQ(ref.shape[1], fb.bands());
        const auto dense = fb.dense();
        for (std::size_t i = 0; i < dense.size(); ++i) ASSERT_NEAR(dense[i], ref.data[i], 1e-6) << "element " << i;
    }
}

TEST(OnsetFeatures, FrameCountAndDifferenceLagFollowMadmom) {
    std::vector<float> x(44100, 0.0f);
    EXPECT_EQ(logFilteredSpectrogram(x).frames(), 100u);
    x.resize(44101);
    EXPECT_EQ(logFilteredSpectrogram(x).frames(), 101u);  // ceil(len / hop)
    EXPECT_EQ(differenceFrames(1024, 441.0, 0.5), 1);
    EXPECT_EQ(differenceFrames(2048, 441.0, 0.5), 1);
    EXPECT_EQ(differenceFrames(4096, 441.0, 0.5), 2);
    EXPECT_TRUE(logFilteredSpectrogram(std::vector<float>{}).frames() == 0);
}

TEST(OnsetFeatures, MultiResolutionFeaturesMatchNumpyReference) {
    const auto py = test::pythonWithNumpy();
    if (py.empty()) GTEST_SKIP() << "no /usr/bin/python3 with numpy";
    const auto dir = test::freshDir("onsets-rnnfeatures");
    const auto x = testSignal(1.5);
    writeNpy(dir / "x.npy", x, std::vector<std::size_t>{x.size()});
    ASSERT_EQ(test::run(py + " " + reference() + " rnn " + (dir / "x.npy").string() + " " +
                        (dir / "f.npy").string()), 0);
    const auto ref = readNpy(dir / "f.npy");
    const auto f = rnnOnsetFeatures(x);
    ASSERT_EQ(ref.shape.size(), 2u);
    ASSERT_EQ(f.layout(), Layout::FramesByBins);
    ASSERT_EQ(f.frames(), ref.shape[0]);
    ASSERT_EQ(f.bins(), ref.shape[1]);
    ASSERT_EQ(f.bins(), 314u);
    double maxErr = 0;
    for (std::size_t i = 0; i < f.size(); ++i) maxErr = std::max(maxErr, double(std::abs(f.values()[i] - ref.data[i])));
    EXPECT_LT(maxErr, 2e-4);
}
