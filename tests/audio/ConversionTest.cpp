// Mixdown, resampling and start/duration windows, checked against the known generated signals.
#include "audio/AudioTestUtil.h"
#include "core/audio/AudioDecoder.h"
#include "core/audio/Resample.h"

#include <gtest/gtest.h>

using namespace sonolab;

namespace {

// Stereo: left 440 Hz at 0.6, right 1000 Hz at 0.2.
std::vector<float> stereoTwoTones(double seconds, int rate) {
    auto l = test::sine(440.0, seconds, rate, 0.6f), r = test::sine(1000.0, seconds, rate, 0.2f);
    std::vector<float> out(l.size() * 2);
    for (std::size_t i = 0; i < l.size(); ++i) {
        out[2 * i] = l[i];
        out[2 * i + 1] = r[i];
    }
    return out;
}

TEST(Conversion, StereoMixdownIsTheChannelAverage) {
    auto dir = test::freshDir("audio-mixdown");
    auto stereo = stereoTwoTones(2.0, 44100);
    test::writeWav16(dir / "stereo.wav", stereo, 44100, 2);

    auto kept = audio::decode(dir / "stereo.wav", {.mono = false});
    ASSERT_EQ(kept.channels, 2);
    ASSERT_EQ(kept.frames(), 88200u);
    auto mono = audio::decode(dir / "stereo.wav", {.mono = true});
    ASSERT_EQ(mono.channels, 1);
    ASSERT_EQ(mono.frames(), 88200u);
    double maxErr = 0;
    for (std::size_t i = 0; i < mono.frames(); ++i) {
        // Reference: the 16-bit values the WAV holds, averaged.
        const double expected = 0.5 * (kept.samples[2 * i] + kept.samples[2 * i + 1]);
        maxErr = std::max(maxErr, std::abs(mono.samples[i] - expected));
        // And the stereo decode is the file's 16-bit quantisation of what we wrote.
        ASSERT_NEAR(kept.samples[2 * i], stereo[2 * i], 2.0 / 32768);
    }
    EXPECT_LT(maxErr, 1e-6);
}

TEST(Conversion, Resample44100To22050ExactLengthSameFrequency) {
    auto dir = test::freshDir("audio-resample");
    test::writeWav16(dir / "sine.wav", test::sine(440.0, 5.0, 44100), 44100);
    auto out = audio::decode(dir / "sine.wav", {.sampleRate = 22050});
    EXPECT_EQ(out.sampleRate, 22050);
    EXPECT_EQ(out.frames(), 110250u);
    EXPECT_NEAR(test::peakFrequency(out.samples, 22050), 440.0, 2.0);
    EXPECT_NEAR(test::rms(std::span(out.samples).subspan(1000, 100000)), 0.5 / std::sqrt(2.0), 0.005);
    // Sample-by-sample against the analytic sine at the new rate (away from the edges, where the filter starts up).
    double maxErr = 0;
    for (std::size_t i = 100; i < out.frames() - 100; ++i)
        maxErr = std::max(maxErr, std::abs(out.samples[i] - 0.5 * std::sin(2 * std::numbers::pi * 440.0 * double(i) / 22050)));
    EXPECT_LT(maxErr, 0.01);
}

TEST(Conversion, ResampleToOddRatesHasRoundedLength) {
    auto dir = test::freshDir("audio-resample-odd");
    test::writeWav16(dir / "sine.wav", test::sine(440.0, 3.3, 44100), 44100);  // 145,530 frames
    for (int rate : {8000, 16000, 22050, 32000, 48000, 96000}) {
        auto out = audio::decode(dir / "sine.wav", {.sampleRate = rate});
        EXPECT_EQ(out.frames(), std::size_t((145530LL * rate + 22050) / 44100)) << rate;
        EXPECT_NEAR(test::peakFrequency(out.samples, rate, 8192), 440.0, rate / 8192.0 + 0.5) << rate;
    }
}

TEST(Conversion, InMemoryResampleMatchesLengthRule) {
    audio::AudioBuffer in{.sampleRate = 48000, .channels = 2, .samples = stereoTwoTones(1.5, 48000)};
    auto out = audio::resample(in, 44100);
    EXPECT_EQ(out.channels, 2);
    EXPECT_EQ(out.frames(), 66150u);
    auto mono = audio::resample(in, 48000, true);
    ASSERT_EQ(mono.frames(), in.frames());
    for (std::size_t i = 0; i < in.frames(); i += 997) EXPECT_NEAR(mono.samples[i], 0.5f * (in.samples[2 * i] + in.samples[2 * i + 1]), 1e-6);
}

TEST(Conversion, StartAndDurationAreSampleExact) {
    auto dir = test::freshDir("audio-window");
    // A ramp makes every frame's position readable from its value.
    std::vector<float> ramp(44100 * 3);
    for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = float(i % 20000) / 20000.0f - 0.5f;
    test::writeWav16(dir / "ramp.wav", ramp, 44100);
    auto whole = audio::decode(dir / "ramp.wav");
    auto window = audio::decode(dir / "ramp.wav", {.startSeconds = 1.25, .durationSeconds = 0.5});
    ASSERT_EQ(window.frames(), 22050u);
    const std::size_t first = 55125;  // 1.25 s * 44100
    for (std::size_t i = 0; i < window.frames(); ++i) ASSERT_EQ(window.samples[i], whole.samples[first + i]) << i;
    // To the end, and a window running past the end stops at the end.
    auto tail = audio::decode(dir / "ramp.wav", {.startSeconds = 2.5});
    EXPECT_EQ(tail.frames(), 22050u);
    auto past = audio::decode(dir / "ramp.wav", {.startSeconds = 2.9, .durationSeconds = 5});
    EXPECT_EQ(past.frames(), 4410u);
    auto beyond = audio::decode(dir / "ramp.wav", {.startSeconds = 10});
    EXPECT_EQ(beyond.frames(), 0u);
}

TEST(Conversion, WindowOfAnMp3AfterSeekMatchesTheWholeDecode) {
    auto dir = test::freshDir("audio-window-mp3");
    test::writeWav16(dir / "sine.wav", test::sine(440.0, 6.0, 44100), 44100);
    if (!test::ffmpegEncode(dir / "sine.wav", dir / "sine.mp3", "-c:a libmp3lame -b:a 192k"))
        GTEST_SKIP() << "ffmpeg with libmp3lame is not available";
    auto whole = audio::decode(dir / "sine.mp3", {.sampleRate = 22050});
    auto window = audio::decode(dir / "sine.mp3", {.sampleRate = 22050, .startSeconds = 3.0, .durationSeconds = 1.0});
    ASSERT_EQ(window.frames(), 22050u);
    // Aligned to the sample: the window equals the same span of the whole decode up to codec/resampler noise.
    double maxErr = 0;
    for (std::size_t i = 2000; i < window.frames() - 100; ++i)
        maxErr = std::max(maxErr, double(std::abs(window.samples[i] - whole.samples[66150 + i])));
    EXPECT_LT(maxErr, 0.02);
}

}  // namespace
