// writeAudioFile writes what FFmpeg (an independent reader) decodes back.
#include "audio/AudioTestUtil.h"
#include "core/audio/AudioDecoder.h"
#include "core/audio/AudioFileWriter.h"
#include "core/util/Error.h"

#include <gtest/gtest.h>

using namespace sonolab;

TEST(AudioFileWriter, RoundTripsWavFlacAiff) {
    auto dir = test::freshDir("audio-writer");
    audio::AudioBuffer b{.sampleRate = 32000, .channels = 2};
    auto l = test::sine(440.0, 1.0, 32000, 0.7f), r = test::sine(880.0, 1.0, 32000, 0.3f);
    for (std::size_t i = 0; i < l.size(); ++i) {
        b.samples.push_back(l[i]);
        b.samples.push_back(r[i]);
    }
    for (std::string ext : {".wav", ".flac", ".aiff"}) {
        auto file = dir / ("out" + ext);
        audio::writeAudioFile(file, b);
        auto back = audio::decode(file, {.mono = false});
        ASSERT_EQ(back.channels, 2) << ext;
        ASSERT_EQ(back.sampleRate, 32000) << ext;
        ASSERT_EQ(back.frames(), b.frames()) << ext;
        for (std::size_t i = 0; i < b.samples.size(); i += 101) ASSERT_NEAR(back.samples[i], b.samples[i], 2.0 / 32768) << ext;
        auto viaSndfile = audio::readAudioFileSndfile(file);
        EXPECT_EQ(viaSndfile.frames(), b.frames());
    }
    auto f32 = dir / "float.wav";
    audio::writeAudioFile(f32, b, true);
    EXPECT_EQ(audio::decode(f32, {.mono = false}).samples, b.samples);
}

TEST(AudioFileWriter, RejectsUnknownExtensionNamingTheFile) {
    auto file = test::freshDir("audio-writer-bad") / "out.mp4";
    audio::AudioBuffer b{.sampleRate = 8000, .channels = 1, .samples = std::vector<float>(100)};
    try {
        audio::writeAudioFile(file, b);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), file.string());
    }
}
