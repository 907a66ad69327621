// The click track rendered without a device: bursts land at exact sample indices, however the output is cut into
// callback-sized blocks, on every channel, and a track swapped in while another thread mixes is picked up safely.
#include "core/playback/ClickMixer.h"
#include "core/playback/ClickTrack.h"
#include "core/util/Error.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <numbers>
#include <thread>

using namespace sonolab::playback;

namespace {

// The burst written out independently of ClickTrack: 1 kHz sine from phase 0, exp decay, 10 ms.
double expectedBurst(std::int64_t n, int rate, const ClickParams& p = {}) {
    const auto length = std::llround(p.lengthSeconds * rate);
    if (n < 0 || n >= length) return 0.0;
    return p.gain * std::sin(2 * std::numbers::pi * p.frequencyHz * double(n) / rate) *
           std::exp(-double(n) / (p.decaySeconds * rate));
}

// Renders frames [from, from + frames) in blocks of `block` frames, as an audio callback would.
std::vector<float> render(const ClickTrack& track, std::int64_t from, std::size_t frames, int channels, std::size_t block) {
    std::vector<float> out(frames * std::size_t(channels), 0.0f);
    for (std::size_t done = 0; done < frames; done += block) {
        const std::size_t n = std::min(block, frames - done);
        track.mixInto(out.data() + done * std::size_t(channels), n, channels, from + std::int64_t(done));
    }
    return out;
}

}  // namespace

TEST(ClickTrack, BurstsStartAtTheOnsetSampleIndices) {
    const int rate = 44100;
    const std::vector<double> onsets{0.5, 1.25, 0.1};  // unsorted on purpose
    ClickTrack track(onsets, rate);
    ASSERT_EQ(track.startFrames(), (std::vector<std::int64_t>{4410, 22050, 55125}));
    ASSERT_EQ(track.burst().size(), 441u);

    const std::int64_t from = 1000;
    const auto out = render(track, from, 60000, 1, 60000);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const std::int64_t frame = from + std::int64_t(i);
        double want = 0;
        for (std::int64_t start : {4410, 22050, 55125}) want += expectedBurst(frame - start, rate);
        ASSERT_NEAR(out[i], want, 1e-6) << "frame " << frame;
    }
    // Silence right before each click, the burst's peak within its first 2 ms.
    EXPECT_EQ(out[std::size_t(22050 - 1 - from)], 0.0f);
    EXPECT_GT(std::abs(out[std::size_t(22050 + 11 - from)]), 0.3f);  // quarter period of 1 kHz at 44.1 kHz ~ 11 frames
}

TEST(ClickTrack, BlockSizeDoesNotMoveAClickAndAllChannelsGetIt) {
    const int rate = 48000;
    std::vector<double> onsets;
    for (int i = 0; i < 40; ++i) onsets.push_back(0.0123 + i * 0.0871);  // clicks straddle block edges
    ClickTrack track(onsets, rate);
    const auto whole = render(track, 0, 4 * rate, 2, 4 * rate);
    for (std::size_t block : {1u, 7u, 64u, 441u, 512u, 1023u}) {
        const auto blocks = render(track, 0, 4 * rate, 2, block);
        ASSERT_EQ(blocks, whole) << "block " << block;
    }
    for (std::size_t f = 0; f < whole.size() / 2; ++f) ASSERT_EQ(whole[2 * f], whole[2 * f + 1]);
    // Rendering a later stretch on its own (a seek) gives the same samples as that stretch of the whole.
    const auto later = render(track, 100000, 20000, 2, 256);
    for (std::size_t i = 0; i < later.size(); ++i) ASSERT_EQ(later[i], whole[200000 + i]);
}

TEST(ClickTrack, AddsToWhatIsAlreadyThereAndDropsBadTimes) {
    const int rate = 8000;
    const std::vector<double> onsets{-1.0, std::nan(""), 0.25, 0.25};
    ClickTrack track(onsets, rate);
    ASSERT_EQ(track.startFrames(), (std::vector<std::int64_t>{2000}));
    std::vector<float> out(4000, 0.25f);
    track.mixInto(out.data(), out.size(), 1, 0);
    EXPECT_FLOAT_EQ(out[1999], 0.25f);
    EXPECT_NEAR(out[2001], 0.25 + expectedBurst(1, rate), 1e-6);
    EXPECT_FLOAT_EQ(out[2000 + 80], 0.25f);  // 10 ms = 80 frames at 8 kHz: over
    EXPECT_THROW(ClickTrack(onsets, 0), sonolab::Error);
}

TEST(ClickMixer, MixesOnlyWhenEnabledAndFollowsTheTrackSwappedIn) {
    const int rate = 44100;
    ClickMixer mixer;
    std::vector<float> out(4410, 0.0f);
    mixer.mix(out.data(), out.size(), 1, 0);  // no track, disabled
    mixer.setTrack(std::make_shared<ClickTrack>(std::vector<double>{0.01}, rate));
    mixer.mix(out.data(), out.size(), 1, 0);
    for (float s : out) ASSERT_EQ(s, 0.0f) << "disabled mixer changed the output";
    mixer.setEnabled(true);
    mixer.mix(out.data(), out.size(), 1, 0);
    EXPECT_NEAR(out[441 + 5], expectedBurst(5, rate), 1e-6);
    std::fill(out.begin(), out.end(), 0.0f);
    mixer.setTrack(std::make_shared<ClickTrack>(std::vector<double>{0.05}, rate));
    mixer.mix(out.data(), out.size(), 1, 0);
    EXPECT_EQ(out[441 + 5], 0.0f);
    EXPECT_NEAR(out[2205 + 5], expectedBurst(5, rate), 1e-6);
    mixer.setTrack(nullptr);
    std::fill(out.begin(), out.end(), 0.0f);
    mixer.mix(out.data(), out.size(), 1, 0);
    for (float s : out) ASSERT_EQ(s, 0.0f);
    EXPECT_EQ(mixer.retiredCount(), 0u);
}

TEST(ClickMixer, SwappingWhileAnotherThreadMixesNeverShowsAFreedTrack) {
    // Every track has one click at frame 0, so each mix must add exactly one burst (or none after a nullptr swap);
    // a freed track would read garbage (and fail under ASan/TSan builds).
    const int rate = 8000;
    ClickMixer mixer;
    mixer.setEnabled(true);
    std::atomic<bool> stop{false};
    std::atomic<long> mixes{0}, bad{0};
    std::thread audio([&] {
        std::vector<float> out(64);
        while (!stop.load()) {
            std::fill(out.begin(), out.end(), 0.0f);
            mixer.mix(out.data(), out.size(), 1, 0);
            const double want = expectedBurst(5, rate);
            if (out[5] != 0.0f && std::abs(out[5] - want) > 1e-6) ++bad;
            ++mixes;
        }
    });
    for (int i = 0; i < 3000; ++i) mixer.setTrack(i % 7 == 6 ? nullptr : std::make_shared<ClickTrack>(std::vector<double>{0.0}, rate));
    while (mixes.load() < 1000) std::this_thread::yield();
    stop = true;
    audio.join();
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(mixer.retiredCount(), 0u);
}
