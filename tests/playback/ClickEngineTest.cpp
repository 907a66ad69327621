// Clicks through the real playback path: PortAudio writes its output through ALSA's "file" plugin (a null device
// that also records what it is given), in a child process with that ALSA configuration. Every click must start at
// the exact output sample of its onset, relative to a marker sample in the source.
#include "playback/PlaybackTestSupport.h"

#include "core/playback/PlaybackEngine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <unistd.h>

using namespace sonolab;
using playback::PlaybackEngine;

namespace {

const std::vector<double> kClickTimes{0.1, 0.2437, 0.5, 0.75};
constexpr float kMarker = 0.25f;  // source frame 0: where the source starts in the recorded output

double expectedBurst(std::int64_t n, int rate) {
    const playback::ClickParams p;
    if (n < 0 || n >= std::llround(p.lengthSeconds * rate)) return 0.0;
    return p.gain * std::sin(2 * std::numbers::pi * p.frequencyHz * double(n) / rate) * std::exp(-double(n) / (p.decaySeconds * rate));
}

}  // namespace

// Runs only in the child process of ClickEngine.ClicksLandOnTheirSamplesInTheDeviceOutput.
TEST(ClickEngine, DISABLED_InnerPlayWithClicks) {
    // A ring longer than the source: the whole source is buffered before the stream starts, so no underrun can put
    // silence between source frames in the recording.
    PlaybackEngine engine(playback::PlaybackOptions{.ringSeconds = 3.0});
    ASSERT_TRUE(engine.available()) << engine.unavailableReason();
    auto buffer = std::make_shared<audio::AudioBuffer>();
    buffer->sampleRate = 44100;
    buffer->channels = 1;
    buffer->samples.assign(44100, 0.0f);
    buffer->samples[0] = kMarker;
    engine.setClickTimes(kClickTimes);  // before load: kept and built for the stream's rate
    engine.setClicksEnabled(true);
    ASSERT_TRUE(engine.load(buffer)) << engine.lastError();
    engine.play();
    ASSERT_TRUE(engine.waitUntilNotPlaying(60));
    EXPECT_EQ(engine.framesPlayed(), 44100);
    EXPECT_EQ(engine.underruns(), 0);
    std::printf("rate %d channels %d\n", engine.sampleRate(), engine.outputChannels());
}

TEST(ClickEngine, ClicksLandOnTheirSamplesInTheDeviceOutput) {
    const auto dir = test::freshDir("playback-click-engine");
    const auto raw = dir / "out.raw";
    std::ofstream(dir / "file.conf") << "pcm.!default { type file slave { pcm { type null } } file \"" << raw.string()
                                     << "\" format \"raw\" }\nctl.!default { type hw card 0 }\n";
    int status = -1;
    const std::string out = test::capture("ALSA_CONFIG_PATH='" + (dir / "file.conf").string() + "' /proc/" +
                                              std::to_string(getpid()) +
                                              "/exe --gtest_also_run_disabled_tests --gtest_filter=ClickEngine.DISABLED_InnerPlayWithClicks 2>&1",
                                          &status);
    ASSERT_EQ(status, 0) << out;
    ASSERT_NE(out.find("[  PASSED  ] 1 test"), std::string::npos) << out;
    int rate = 0, channels = 0;
    ASSERT_EQ(std::sscanf(out.c_str() + out.find("rate "), "rate %d channels %d", &rate, &channels), 2) << out;
    ASSERT_EQ(rate, 44100) << "the null device runs at the source's rate";

    // The recording: float32 frames (PortAudio opens the stream as paFloat32; the file plugin stores them raw).
    std::ifstream in(raw, std::ios::binary);
    std::vector<float> samples;
    for (float s; in.read(reinterpret_cast<char*>(&s), sizeof s);) samples.push_back(s);
    ASSERT_GE(samples.size(), std::size_t(44100 * channels));
    const std::size_t frames = samples.size() / std::size_t(channels);
    std::size_t origin = 0;
    while (origin < frames && samples[origin * std::size_t(channels)] == 0.0f) ++origin;
    ASSERT_LT(origin, frames);
    ASSERT_EQ(samples[origin * std::size_t(channels)], kMarker) << "the first sound is the source's marker";
    ASSERT_GE(frames - origin, 44100u);

    // Everything after the marker is exactly the clicks (the source is silent), on every channel.
    int clickSamples = 0;
    for (std::size_t f = origin + 1; f < origin + 44100; ++f) {
        double want = 0;
        for (double t : kClickTimes) want += expectedBurst(std::int64_t(f - origin) - std::llround(t * rate), rate);
        for (int c = 0; c < channels; ++c)
            ASSERT_NEAR(samples[f * std::size_t(channels) + std::size_t(c)], want, 1e-6) << "frame " << f - origin << " channel " << c;
        clickSamples += want != 0.0;
    }
    EXPECT_GT(clickSamples, 4 * 400);
}
