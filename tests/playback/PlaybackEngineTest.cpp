// The real PortAudio path on ALSA's null device (unpaced, so it runs faster than real time): frames are counted,
// never seconds. Each test checks exact frame counts for play, pause/resume, seeks, segments and stop.
#include "playback/PlaybackTestSupport.h"

#include "core/playback/PlaybackEngine.h"
#include "core/util/Error.h"

#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace sonolab;
using playback::PlaybackEngine;
using playback::PlaybackState;

namespace {

std::shared_ptr<const audio::AudioBuffer> sineBuffer(double seconds, int rate, int channels = 1) {
    auto mono = test::sine(440.0, seconds, rate);
    auto b = std::make_shared<audio::AudioBuffer>();
    b->sampleRate = rate;
    b->channels = channels;
    for (float s : mono)
        for (int c = 0; c < channels; ++c) b->samples.push_back(s);
    return b;
}

class Playback : public ::testing::Test {
protected:
    void SetUp() override {
        test::useAlsaNullDevice();
        engine = std::make_unique<PlaybackEngine>();
        ASSERT_TRUE(engine->available()) << "the ALSA null device should open: " << engine->unavailableReason();
        engine->setStateCallback([this](PlaybackState s) {
            std::lock_guard lock(m);
            states.push_back(s);
        });
    }
    std::vector<PlaybackState> seenStates() {
        std::lock_guard lock(m);
        return states;
    }
    void playToEnd() {
        ASSERT_TRUE(engine->waitUntilNotPlaying(60)) << "playback did not finish";
        ASSERT_EQ(engine->state(), PlaybackState::Stopped);
    }
    std::mutex m;
    std::vector<PlaybackState> states;
    // Last, so it is destroyed first: its feeder thread may still report a state (into `states`) until it stops.
    // AddressSanitizer caught the other order as a use after free.
    std::unique_ptr<PlaybackEngine> engine;
};

TEST_F(Playback, PlaysABufferToTheEndAndCountsEveryFrame) {
    ASSERT_TRUE(engine->load(sineBuffer(2.0, 44100))) << engine->lastError();
    EXPECT_EQ(engine->sampleRate(), 44100);
    EXPECT_DOUBLE_EQ(engine->durationSeconds(), 2.0);
    engine->play();
    playToEnd();
    EXPECT_EQ(engine->framesPlayed(), 88200);
    EXPECT_DOUBLE_EQ(engine->positionSeconds(), 2.0);
    EXPECT_EQ(seenStates(), (std::vector<PlaybackState>{PlaybackState::Playing, PlaybackState::Stopped}));
    // play() after the end starts again from the beginning.
    engine->play();
    playToEnd();
    EXPECT_EQ(engine->framesPlayed(), 2 * 88200);
}

TEST_F(Playback, StereoAndOtherRatesPlayCompletely) {
    ASSERT_TRUE(engine->load(sineBuffer(1.5, 22050, 2)));
    engine->play();
    playToEnd();
    EXPECT_EQ(engine->framesPlayed(), std::int64_t(1.5 * engine->sampleRate()));
}

TEST_F(Playback, PauseHoldsThePositionAndResumeLosesNothing) {
    ASSERT_TRUE(engine->load(sineBuffer(30.0, 44100)));
    engine->play();
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    engine->pause();
    ASSERT_EQ(engine->state(), PlaybackState::Paused);
    const auto frames = engine->framesPlayed();
    const double pos = engine->positionSeconds();
    EXPECT_GT(frames, 0);
    EXPECT_LT(frames, 30 * 44100);
    // Paused: everything handed over was played (no latency left), and nothing moves.
    EXPECT_DOUBLE_EQ(pos, double(frames) / 44100);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(engine->framesPlayed(), frames);
    EXPECT_DOUBLE_EQ(engine->positionSeconds(), pos);
    engine->play();
    playToEnd();
    EXPECT_EQ(engine->framesPlayed(), 30 * 44100);  // the ring kept what was buffered: no frame lost or repeated
    EXPECT_EQ(seenStates(), (std::vector<PlaybackState>{PlaybackState::Playing, PlaybackState::Paused,
                                                        PlaybackState::Playing, PlaybackState::Stopped}));
}

TEST_F(Playback, SeekWhileStoppedPlaysFromThere) {
    ASSERT_TRUE(engine->load(sineBuffer(2.0, 44100)));
    engine->seek(1.5);
    EXPECT_DOUBLE_EQ(engine->positionSeconds(), 1.5);
    engine->play();
    playToEnd();
    EXPECT_EQ(engine->framesPlayed(), 22050);
    EXPECT_DOUBLE_EQ(engine->positionSeconds(), 2.0);
    engine->seek(99);  // clamped to the end
    EXPECT_DOUBLE_EQ(engine->positionSeconds(), 2.0);
}

TEST_F(Playback, SeekWhilePausedStaysPausedThenPlaysTheRest) {
    ASSERT_TRUE(engine->load(sineBuffer(30.0, 44100)));
    engine->play();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    engine->pause();
    const auto before = engine->framesPlayed();
    engine->seek(29.0);
    EXPECT_EQ(engine->state(), PlaybackState::Paused);
    EXPECT_DOUBLE_EQ(engine->positionSeconds(), 29.0);
    engine->play();
    playToEnd();
    EXPECT_EQ(engine->framesPlayed(), before + 44100);
    EXPECT_DOUBLE_EQ(engine->positionSeconds(), 30.0);
}

TEST_F(Playback, SeekWhilePlayingKeepsPlayingFromTheNewPlace) {
    ASSERT_TRUE(engine->load(sineBuffer(30.0, 44100)));
    engine->play();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    engine->seek(28.0);
    EXPECT_EQ(engine->state(), PlaybackState::Playing);
    EXPECT_GE(engine->positionSeconds(), 28.0);
    const auto atSeek = engine->framesPlayed();
    playToEnd();
    EXPECT_LE(engine->framesPlayed() - atSeek, 2 * 44100);
    EXPECT_GT(engine->framesPlayed() - atSeek, 0);
    EXPECT_DOUBLE_EQ(engine->positionSeconds(), 30.0);
}

TEST_F(Playback, PlaysASegmentThenStopsAtItsEnd) {
    ASSERT_TRUE(engine->load(sineBuffer(10.0, 44100)));
    engine->playSegment(3.0, 1.5);
    playToEnd();
    EXPECT_EQ(engine->framesPlayed(), 66150);
    EXPECT_DOUBLE_EQ(engine->positionSeconds(), 4.5);
    engine->play();  // the segment again
    playToEnd();
    EXPECT_EQ(engine->framesPlayed(), 2 * 66150);
    engine->stop();
    EXPECT_DOUBLE_EQ(engine->positionSeconds(), 3.0);
}

TEST_F(Playback, StopReturnsToTheStart) {
    ASSERT_TRUE(engine->load(sineBuffer(30.0, 44100)));
    engine->play();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    engine->stop();
    EXPECT_EQ(engine->state(), PlaybackState::Stopped);
    EXPECT_DOUBLE_EQ(engine->positionSeconds(), 0.0);
    const auto partial = engine->framesPlayed();
    engine->play();
    playToEnd();
    EXPECT_EQ(engine->framesPlayed(), partial + 30 * 44100);
}

TEST_F(Playback, PositionNeverRunsAheadOfWhatWasHandedOver) {
    ASSERT_TRUE(engine->load(sineBuffer(20.0, 44100)));
    engine->play();
    double last = 0;
    int samples = 0;
    while (engine->state() == PlaybackState::Playing) {
        const double pos = engine->positionSeconds();
        const double handed = double(engine->framesPlayed()) / 44100;
        EXPECT_LE(pos, handed + 1e-9);
        EXPECT_GE(pos, last);  // monotonic within one run
        last = pos;
        ++samples;
    }
    EXPECT_GT(samples, 0);
    EXPECT_GE(engine->outputLatencySeconds(), 0.0);
}

TEST_F(Playback, PlaysAFileDecodedOnTheFly) {
    auto dir = test::freshDir("playback-file");
    auto b = sineBuffer(3.0, 48000, 2);
    test::writeWav16(dir / "tone.wav", b->samples, b->sampleRate, b->channels);
    ASSERT_TRUE(engine->loadFile(dir / "tone.wav")) << engine->lastError();
    EXPECT_DOUBLE_EQ(engine->durationSeconds(), 3.0);
    engine->play();
    playToEnd();
    EXPECT_EQ(engine->framesPlayed(), 3 * 48000);
    engine->playSegment(1.0, 0.25);
    playToEnd();
    EXPECT_EQ(engine->framesPlayed(), 3 * 48000 + 12000);
    EXPECT_TRUE(engine->lastError().empty()) << engine->lastError();
}

TEST_F(Playback, BadFileThrowsAndLeavesTheEngineUsable) {
    auto dir = test::freshDir("playback-bad");
    std::ofstream(dir / "text.mp3") << "not audio at all\n";
    EXPECT_THROW(engine->loadFile(dir / "text.mp3"), Error);
    ASSERT_TRUE(engine->load(sineBuffer(0.5, 44100)));
    engine->play();
    playToEnd();
    EXPECT_EQ(engine->framesPlayed(), 22050);
}

// Runs only in the child process of NoDevice.ReportsUnavailable, whose ALSA configuration has no usable device
// (disabled in normal runs; the child enables it).
TEST(NoDevice, DISABLED_InnerRunWithoutDevices) {
    PlaybackEngine engine;
    EXPECT_FALSE(engine.available());
    EXPECT_NE(engine.unavailableReason().find("Playback is unavailable"), std::string::npos) << engine.unavailableReason();
    EXPECT_FALSE(engine.load(sineBuffer(1.0, 44100)));
    EXPECT_EQ(engine.lastError(), engine.unavailableReason());
    engine.play();
    engine.pause();
    engine.seek(0.5);
    engine.stop();
    EXPECT_EQ(engine.state(), PlaybackState::Stopped);
    EXPECT_EQ(engine.framesPlayed(), 0);
    EXPECT_EQ(engine.positionSeconds(), 0.0);
    std::printf("reason: %s\n", engine.unavailableReason().c_str());
}

TEST(NoDevice, ReportsUnavailable) {
    // ALSA's default PCM on a card that does not exist: PortAudio lists no device, as on a server without a sound
    // card. (A configuration with no pcm.default at all makes PortAudio 19.6 abort on an assertion.)
    auto dir = test::freshDir("playback-nodevice");
    std::ofstream(dir / "nocard.conf") << "pcm.!default { type hw card 99 }\n";
    int status = -1;
    const std::string out = test::capture("ALSA_CONFIG_PATH='" + (dir / "nocard.conf").string() +
                                              "' /proc/" + std::to_string(getpid()) +
                                              "/exe --gtest_also_run_disabled_tests --gtest_filter=NoDevice.DISABLED_InnerRunWithoutDevices 2>&1",
                                          &status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("[  PASSED  ] 1 test"), std::string::npos) << out;
    EXPECT_NE(out.find("reason: Playback is unavailable"), std::string::npos) << out;
}

}  // namespace
