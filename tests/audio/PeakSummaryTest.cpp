// PeakSummary min/max against brute force over the samples, built in uneven chunks, read while it grows.
#include "core/audio/PeakSummary.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <thread>

using namespace sonolab;
using audio::MinMax;
using audio::PeakSummary;

namespace {

std::vector<float> noise(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (auto& x : v) x = d(rng);
    return v;
}

MinMax brute(const std::vector<float>& s, int channels, std::int64_t a, std::int64_t b, int channel) {
    MinMax m;
    for (std::int64_t f = std::max<std::int64_t>(a, 0); f < std::min<std::int64_t>(b, std::int64_t(s.size()) / channels); ++f)
        for (int c = 0; c < channels; ++c)
            if (channel < 0 || c == channel) m.include(s[std::size_t(f) * channels + c]);
    return m;
}

void appendInRandomChunks(PeakSummary& p, const std::vector<float>& s, int channels, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<std::size_t> len(1, 9000);
    for (std::size_t at = 0; at < s.size();) {
        std::size_t n = std::min(len(rng) * std::size_t(channels), s.size() - at);
        p.append(std::span(s).subspan(at, n));
        at += n;
    }
}

TEST(PeakSummary, GridAlignedRangesAreExactAtEveryLevel) {
    const int ch = 2;
    auto s = noise(300000 * ch, 1);
    PeakSummary p(ch, 44100);
    appendInRandomChunks(p, s, ch, 2);
    ASSERT_EQ(p.frames(), 300000);
    for (std::int64_t perPixel : {16, 48, 256, 1024, 4096, 65536}) {
        const int level = PeakSummary::levelFor(double(perPixel));
        EXPECT_LE(PeakSummary::kBucketFrames[std::size_t(level)], perPixel);
        // Start on the grid of every level (a multiple of the coarsest bucket).
        const std::int64_t first = 65536;
        const int pixels = int(std::min<std::int64_t>(200, (300000 - first) / perPixel));
        for (int channel : {-1, 0, 1}) {
            auto r = p.range(first, first + perPixel * pixels, pixels, channel);
            ASSERT_EQ(r.size(), std::size_t(pixels));
            for (int i = 0; i < pixels; ++i) {
                auto m = brute(s, ch, first + i * perPixel, first + (i + 1) * perPixel, channel);
                ASSERT_EQ(r[std::size_t(i)].min, m.min) << perPixel << " px " << i;
                ASSERT_EQ(r[std::size_t(i)].max, m.max) << perPixel << " px " << i;
            }
        }
    }
}

// Mono is what the player decodes to (and takes a faster path): every finest bucket against brute force, from
// chunks that start and end anywhere inside buckets, with NaNs (a broken decoder frame) ignored as include() does.
TEST(PeakSummary, MonoFinestBucketsMatchBruteForceAndIgnoreNaN) {
    auto s = noise(200003, 8);
    for (std::size_t i = 7; i < s.size(); i += 997) s[i] = std::numeric_limits<float>::quiet_NaN();
    PeakSummary p(1, 44100);
    appendInRandomChunks(p, s, 1, 9);
    ASSERT_EQ(p.frames(), 200003);
    const int pixels = int((s.size() + 15) / 16);
    auto r = p.range(0, std::int64_t(pixels) * 16, pixels);
    for (int i = 0; i < pixels; ++i) {
        auto m = brute(s, 1, i * 16, (i + 1) * 16, -1);
        ASSERT_TRUE(r[std::size_t(i)].valid()) << "bucket " << i;
        ASSERT_EQ(r[std::size_t(i)].min, m.min) << "bucket " << i;
        ASSERT_EQ(r[std::size_t(i)].max, m.max) << "bucket " << i;
    }
}

TEST(PeakSummary, UnalignedRangesCoverThePixelWidenedToTheGrid) {
    auto s = noise(123457, 3);
    PeakSummary p(1, 22050);
    appendInRandomChunks(p, s, 1, 4);
    const std::int64_t first = 1001, last = 117771;
    const int pixels = 333;
    auto r = p.range(first, last, pixels);
    const std::int64_t size = PeakSummary::kBucketFrames[std::size_t(PeakSummary::levelFor(double(last - first) / pixels))];
    for (int i = 0; i < pixels; ++i) {
        const auto a = first + std::int64_t(std::floor(double(last - first) * i / pixels));
        const auto b = first + std::int64_t(std::floor(double(last - first) * (i + 1) / pixels));
        auto exact = brute(s, 1, a, b, -1);
        auto widened = brute(s, 1, a / size * size, (b + size - 1) / size * size, -1);
        ASSERT_EQ(r[std::size_t(i)].min, widened.min) << i;
        ASSERT_EQ(r[std::size_t(i)].max, widened.max) << i;
        ASSERT_LE(r[std::size_t(i)].min, exact.min);
        ASSERT_GE(r[std::size_t(i)].max, exact.max);
    }
}

TEST(PeakSummary, PixelsPastTheDecodedPartAreInvalid) {
    auto s = noise(10000, 5);
    PeakSummary p(1, 22050);
    p.append(s);
    auto r = p.range(0, 20000, 20);
    for (int i = 0; i < 10; ++i) EXPECT_TRUE(r[std::size_t(i)].valid()) << i;
    for (int i = 10; i < 20; ++i) EXPECT_FALSE(r[std::size_t(i)].valid()) << i;
    EXPECT_FALSE(p.finished());
    p.finish();
    EXPECT_TRUE(p.finished());
}

TEST(PeakSummary, FromBufferMatchesWholeRange) {
    audio::AudioBuffer b{.sampleRate = 8000, .channels = 1, .samples = noise(50000, 6)};
    auto p = PeakSummary::fromBuffer(b);
    auto r = p->range(0, 50000, 1);
    auto m = brute(b.samples, 1, 0, 50000, -1);
    EXPECT_EQ(r[0].min, m.min);
    EXPECT_EQ(r[0].max, m.max);
}

TEST(PeakSummary, ReadableWhileBeingAppended) {
    auto s = noise(2000000, 7);
    PeakSummary p(1, 44100);
    std::thread writer([&] {
        for (std::size_t at = 0; at < s.size(); at += 4096) p.append(std::span(s).subspan(at, std::min<std::size_t>(4096, s.size() - at)));
        p.finish();
    });
    int reads = 0;
    while (!p.finished() || reads == 0) {
        const std::int64_t n = p.frames();
        if (n >= 65536) {
            // Whatever is visible is consistent with the samples (a full bucket never shows partial data wrongly).
            const std::int64_t end = n / 65536 * 65536;
            auto r = p.range(0, end, int(end / 65536));
            auto m = brute(s, 1, end - 65536, end, -1);
            ASSERT_EQ(r.back().min, m.min);
            ASSERT_EQ(r.back().max, m.max);
        }
        ++reads;
    }
    writer.join();
    EXPECT_EQ(p.frames(), 2000000);
    EXPECT_GT(reads, 0);
}

}  // namespace
