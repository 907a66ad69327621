// Every supported format decodes a 440 Hz sine, encoded by the ffmpeg CLI, to the right length and frequency.
#include "audio/AudioTestUtil.h"
#include "core/audio/AudioDecoder.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

using namespace sonolab;

namespace {

constexpr int kRate = 44100;
constexpr double kSeconds = 5.0;

struct Format {
    std::string name;        // test parameter name
    std::string extension;
    std::string ffmpegArgs;  // encoder options
    std::string codec;       // what probe() must report
    int decodedRate;         // the codec's own rate (opus always decodes at 48 kHz)
    // Frames the decoded length may differ from the source by. Measured on these files: wav/flac/aiff/ogg/opus
    // and mp3 (gapless info from LAME's header, applied by libavformat) decode to exactly the source length; AAC in
    // mp4 from FFmpeg's encoder carries an edit list for its 1024-frame priming and the end is rounded to whole
    // 1024-frame packets, so it may be up to one packet long.
    std::int64_t lengthTolerance;
};

const std::vector<Format>& formats() {
    static const std::vector<Format> all{
        {"wav", ".wav", "-c:a pcm_s16le", "pcm_s16le", kRate, 0},
        {"aiff", ".aiff", "-c:a pcm_s16be", "pcm_s16be", kRate, 0},
        {"flac", ".flac", "-c:a flac", "flac", kRate, 0},
        {"mp3", ".mp3", "-c:a libmp3lame -b:a 128k", "mp3", kRate, 0},
        {"ogg", ".ogg", "-c:a libvorbis -q:a 4", "vorbis", kRate, 0},
        {"opus", ".opus", "-c:a libopus -b:a 96k", "opus", 48000, 0},
        {"m4a", ".m4a", "-c:a aac -b:a 128k", "aac", kRate, 1024},
    };
    return all;
}

class DecodeFormats : public ::testing::TestWithParam<Format> {
protected:
    static void SetUpTestSuite() {
        dir_ = new std::filesystem::path(test::freshDir("audio-formats"));
        test::writeWav16(*dir_ / "sine.wav", test::sine(440.0, kSeconds, kRate), kRate, 1);
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    // The encoded file, or empty when this machine's ffmpeg lacks the encoder.
    std::filesystem::path encoded(const Format& f) {
        auto out = *dir_ / ("sine" + f.extension);
        if (!std::filesystem::exists(out) && !test::ffmpegEncode(*dir_ / "sine.wav", out, f.ffmpegArgs)) return {};
        return out;
    }
    static std::filesystem::path* dir_;
};
std::filesystem::path* DecodeFormats::dir_ = nullptr;

TEST_P(DecodeFormats, ProbeReportsFormat) {
    const Format& f = GetParam();
    auto file = encoded(f);
    if (file.empty()) GTEST_SKIP() << "ffmpeg cannot encode " << f.name << " here (" << f.ffmpegArgs << ")";
    auto info = audio::probe(file);
    EXPECT_EQ(info.codec, f.codec);
    EXPECT_EQ(info.sampleRate, f.decodedRate);
    EXPECT_EQ(info.channels, 1);
    EXPECT_NEAR(info.durationSeconds, kSeconds, 0.05);
    EXPECT_FALSE(info.container.empty());
}

TEST_P(DecodeFormats, SineDecodesToRightLengthAndFrequency) {
    const Format& f = GetParam();
    auto file = encoded(f);
    if (file.empty()) GTEST_SKIP() << "ffmpeg cannot encode " << f.name << " here (" << f.ffmpegArgs << ")";
    auto buffer = audio::decode(file);
    EXPECT_EQ(buffer.channels, 1);
    EXPECT_EQ(buffer.sampleRate, f.decodedRate);
    const auto expected = std::int64_t(std::llround(kSeconds * f.decodedRate));
    EXPECT_NEAR(double(buffer.frames()), double(expected), double(f.lengthTolerance))
        << f.name << " decoded " << buffer.frames() << " frames";
    EXPECT_NEAR(test::peakFrequency(buffer.samples, buffer.sampleRate), 440.0, 3.0);
    // Lossy codecs keep the level: a 0.5-amplitude sine has an RMS of 0.354.
    EXPECT_NEAR(test::rms(buffer.samples), 0.5 / std::sqrt(2.0), 0.02);
}

TEST_P(DecodeFormats, ResamplesTo22050WithExactLength) {
    const Format& f = GetParam();
    auto file = encoded(f);
    if (file.empty()) GTEST_SKIP() << "ffmpeg cannot encode " << f.name << " here";
    auto buffer = audio::decode(file, {.sampleRate = 22050, .mono = true});
    EXPECT_EQ(buffer.sampleRate, 22050);
    if (f.lengthTolerance == 0) {
        EXPECT_EQ(buffer.frames(), 110250u) << f.name;  // 5 s at 22,050 Hz, whatever the source rate
    } else {
        EXPECT_NEAR(double(buffer.frames()), 110250.0, f.lengthTolerance * 22050.0 / f.decodedRate + 1);
    }
    EXPECT_NEAR(test::peakFrequency(buffer.samples, 22050), 440.0, 3.0);
}

INSTANTIATE_TEST_SUITE_P(AllFormats, DecodeFormats, ::testing::ValuesIn(formats()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
