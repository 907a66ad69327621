// Tracker modules decode through FFmpeg's libopenmpt demuxer: a generated ProTracker module plays its sample's pitch.
#include "audio/AudioTestUtil.h"
#include "core/audio/AudioDecoder.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace sonolab;

namespace {

// A 4-channel "M.K." module: one pattern, one note (period 428) of sample 1, a looped single-cycle 32-byte sine.
// Amiga PAL playback rate for a period p is 7093789.2 / (2 p) Hz, so the tone is that rate / 32.
std::string makeModule() {
    std::string m;
    auto pad = [&](std::string s, std::size_t n) { s.resize(n, '\0'); m += s; };
    auto be16 = [&](int v) { m += char((v >> 8) & 0xff); m += char(v & 0xff); };
    pad("sonolab test", 20);
    for (int i = 0; i < 31; ++i) {
        pad(i == 0 ? "sine" : "", 22);
        be16(i == 0 ? 16 : 0);   // length in words
        m += char(0);            // finetune
        m += char(i == 0 ? 64 : 0);  // volume
        be16(0);                 // loop start
        be16(i == 0 ? 16 : 1);   // loop length in words
    }
    m += char(1);    // song length
    m += char(127);  // restart
    m += std::string(128, '\0');  // order table: pattern 0
    m += "M.K.";
    std::string pattern(64 * 4 * 4, '\0');
    const int period = 428;
    pattern[0] = char((1 & 0xf0) | (period >> 8));
    pattern[1] = char(period & 0xff);
    pattern[2] = char((1 & 0x0f) << 4);
    m += pattern;
    for (int i = 0; i < 32; ++i) m += char(std::lround(100 * std::sin(2 * std::numbers::pi * i / 32.0)));
    return m;
}

TEST(TrackerModule, GeneratedModDecodesAtItsPitch) {
    auto dir = test::freshDir("audio-tracker");
    auto file = dir / "tone.mod";
    std::ofstream(file, std::ios::binary) << makeModule();
    audio::AudioInfo info;
    try {
        info = audio::probe(file);
    } catch (const std::exception& e) {
        if (std::string(e.what()).find("not a recognised") != std::string::npos)
            GTEST_SKIP() << "this FFmpeg has no libopenmpt demuxer: " << e.what();
        throw;
    }
    EXPECT_EQ(info.container, "libopenmpt");
    auto buffer = audio::decode(file, {.sampleRate = 22050});
    // 64 rows at speed 6 and 125 BPM: 64 * 6 * 0.02 s = 7.68 s; libopenmpt renders about 0.1 s more (the last
    // note's release), measured 7.78 s.
    EXPECT_GT(buffer.durationSeconds(), 7.6);
    EXPECT_LT(buffer.durationSeconds(), 7.9);
    const double expectedHz = 7093789.2 / (2 * 428) / 32;  // 259 Hz
    EXPECT_NEAR(test::peakFrequency(buffer.samples, 22050, 16384, 2000), expectedHz, 3.0);
    EXPECT_GT(test::rms(buffer.samples), 0.01);
}

}  // namespace
