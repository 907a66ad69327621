// The one crop code (core/features/Patches.h) that training, evaluation, prediction and siamese items use.
#include "core/features/Patches.h"
#include "core/util/Error.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

using namespace sonolab::features;

namespace {
// values[b][f] = 100 b + f, so every copied value names where it came from.
std::vector<float> labelled(std::size_t bands, std::size_t frames) {
    std::vector<float> v(bands * frames);
    for (std::size_t b = 0; b < bands; ++b)
        for (std::size_t f = 0; f < frames; ++f) v[b * frames + f] = float(100 * b + f);
    return v;
}
}  // namespace

TEST(Patches, CentreAndSlidingStartsCoverTheTrack) {
    EXPECT_EQ(centreCropStart(20, 8), 6u);
    EXPECT_EQ(centreCropStart(21, 8), 6u);  // odd remainder: the extra frame goes to the end
    EXPECT_EQ(centreCropStart(5, 8), 0u);
    EXPECT_EQ(slidingStarts(20, 8, 5), (std::vector<std::size_t>{0, 5, 10, 12}));  // 12: a window ending at frame 19
    EXPECT_EQ(slidingStarts(18, 8, 5), (std::vector<std::size_t>{0, 5, 10}));      // 10 + 8 = 18 reaches the end
    EXPECT_EQ(slidingStarts(8, 8, 3), (std::vector<std::size_t>{0}));
    EXPECT_EQ(slidingStarts(3, 8, 3), (std::vector<std::size_t>{0}));
    EXPECT_THROW(slidingStarts(20, 8, 0), sonolab::Error);
    EXPECT_THROW(slidingStarts(20, 0, 4), sonolab::Error);
}

TEST(Patches, RandomStartsAreSeededUniformAndDrawOnlyWhenThereIsAChoice) {
    std::mt19937_64 a(11), b(11);
    std::set<std::size_t> starts;
    for (int i = 0; i < 400; ++i) {
        const auto s = randomCropStart(20, 8, a);
        EXPECT_EQ(s, randomCropStart(20, 8, b));  // same seed, same crops
        EXPECT_LE(s, 12u);
        starts.insert(s);
    }
    EXPECT_EQ(starts.size(), 13u);  // every start 0..12 is reachable

    // A matrix no longer than the window takes no number from the generator, so the crops drawn after it stay
    // the same whether or not short examples came first.
    std::mt19937_64 c(5), d(5);
    EXPECT_EQ(randomCropStart(8, 8, c), 0u);
    EXPECT_EQ(randomCropStart(3, 8, c), 0u);
    EXPECT_EQ(c(), d());
}

TEST(Patches, WindowsCopyTheRightFramesAndPadPastTheEnd) {
    const auto v = labelled(3, 20);
    std::vector<float> out(3 * 8);
    EXPECT_EQ(copyWindow(v, 3, 20, 6, 8, out), 8u);
    for (std::size_t b = 0; b < 3; ++b)
        for (std::size_t f = 0; f < 8; ++f) EXPECT_EQ(out[b * 8 + f], float(100 * b + 6 + f));

    // Starting 3 frames before the end: 3 real frames, then padding in every band.
    EXPECT_EQ(copyWindow(v, 3, 20, 17, 8, out, -1.0f), 3u);
    EXPECT_EQ(std::vector<float>(out.begin() + 8, out.begin() + 16),
              (std::vector<float>{117, 118, 119, -1, -1, -1, -1, -1}));
    EXPECT_EQ(copyWindow(v, 3, 20, 25, 8, out, 2.0f), 0u);
    EXPECT_EQ(out, std::vector<float>(24, 2.0f));

    const sonolab::Matrix m(v, 3, 20, sonolab::Layout::BinsByFrames);
    const auto centre = centreWindow(m, 8);  // frames 6..13 of each band
    EXPECT_EQ(centre.bins(), 3u);
    EXPECT_EQ(centre.frames(), 8u);
    EXPECT_EQ(centre.at(2, 0), 206.0f);
    EXPECT_EQ(centre.at(2, 7), 213.0f);
    const sonolab::Matrix shortOne(std::vector<float>{1, 2, 3}, 1, 3, sonolab::Layout::BinsByFrames);
    EXPECT_EQ(centreWindow(shortOne, 5).values()[4], 0.0f);
    EXPECT_EQ(centreWindow(shortOne, 5).at(0, 2), 3.0f);
    EXPECT_THROW(centreWindow(sonolab::Matrix(20, 3, sonolab::Layout::FramesByBins), 8), sonolab::Error);

    std::vector<float> small(5);
    EXPECT_THROW(copyWindow(v, 3, 20, 0, 8, small), sonolab::Error);      // output too small
    EXPECT_THROW(copyWindow(v, 4, 20, 0, 8, out), sonolab::Error);        // not 4 x 20 values
}
