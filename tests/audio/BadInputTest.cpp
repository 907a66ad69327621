// Bad input gives a sonolab::Error naming the file and the cause, never a crash; damaged files decode their valid part.
#include "audio/AudioTestUtil.h"
#include "core/audio/AudioDecoder.h"
#include "core/util/Error.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace sonolab;

namespace {

// Runs fn, expects a sonolab::Error whose message names `file` and contains `cause`.
template <typename Fn>
void expectFileError(const std::filesystem::path& file, const std::string& cause, Fn fn) {
    try {
        fn();
        ADD_FAILURE() << "no error for " << file;
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
        EXPECT_EQ(e.subject(), file.string());
        EXPECT_NE(std::string(e.what()).find(cause), std::string::npos) << "message: " << e.what();
    }
}

void writeBytes(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
}

class BadInput : public ::testing::Test {
protected:
    void SetUp() override { dir = test::freshDir("audio-bad-input"); }
    std::filesystem::path dir;
};

TEST_F(BadInput, MissingFile) {
    auto file = dir / "does-not-exist.mp3";
    expectFileError(file, "no such file", [&] { audio::decode(file); });
    expectFileError(file, "no such file", [&] { audio::probe(file); });
}

TEST_F(BadInput, ZeroBytes) {
    auto file = dir / "empty.mp3";
    writeBytes(file, "");
    expectFileError(file, "empty (0 bytes)", [&] { audio::decode(file); });
    expectFileError(file, "empty (0 bytes)", [&] { audio::probe(file); });
}

TEST_F(BadInput, TextRenamedMp3) {
    auto file = dir / "notes.mp3";
    std::string text;
    for (int i = 0; i < 200; ++i) text += "This is a shopping list, not a song. Eggs, milk, bread.\n";
    writeBytes(file, text);
    // Either no demuxer accepts it, or the mp3 one does (by extension) and no frame decodes.
    for (auto fn : {+[](const std::filesystem::path& f) { audio::decode(f); }, +[](const std::filesystem::path& f) { audio::probe(f); }}) {
        try {
            fn(file);
            ADD_FAILURE() << "no error for " << file;
        } catch (const Error& e) {
            EXPECT_EQ(e.subject(), file.string());
            const std::string m = e.what();
            EXPECT_TRUE(m.find("not a recognised audio file") != std::string::npos ||
                        m.find("no audio could be decoded") != std::string::npos)
                << m;
        }
    }
}

TEST_F(BadInput, UnknownContainer) {
    auto file = dir / "mystery.xyz";
    std::string bytes(4096, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = char((i * 7919 + 13) % 251);
    writeBytes(file, bytes);
    expectFileError(file, "not a recognised audio file", [&] { audio::decode(file); });
}

TEST_F(BadInput, Folder) {
    expectFileError(dir, "folder", [&] { audio::decode(dir); });
}

TEST_F(BadInput, TruncatedMp3DecodesItsValidPart) {
    test::writeWav16(dir / "sine.wav", test::sine(440.0, 4.0, 44100), 44100);
    if (!test::ffmpegEncode(dir / "sine.wav", dir / "full.mp3", "-c:a libmp3lame -b:a 128k"))
        GTEST_SKIP() << "ffmpeg with libmp3lame is not available";
    const auto size = std::filesystem::file_size(dir / "full.mp3");
    std::filesystem::copy_file(dir / "full.mp3", dir / "cut.mp3");
    std::filesystem::resize_file(dir / "cut.mp3", size * 45 / 100);  // cut mid-frame, 45% in
    auto buffer = audio::decode(dir / "cut.mp3");
    // Roughly 45% of 4 s survive (the Xing header still claims 4 s, so this is what was really decoded).
    EXPECT_GT(buffer.durationSeconds(), 1.4);
    EXPECT_LT(buffer.durationSeconds(), 2.2);
    EXPECT_NEAR(test::peakFrequency(buffer.samples, buffer.sampleRate, 8192), 440.0, 6.0);
}

TEST_F(BadInput, Mp3HeaderOnlyReportsNothingDecodable) {
    test::writeWav16(dir / "sine.wav", test::sine(440.0, 2.0, 44100), 44100);
    if (!test::ffmpegEncode(dir / "sine.wav", dir / "full.mp3", "-c:a libmp3lame -b:a 128k"))
        GTEST_SKIP() << "ffmpeg with libmp3lame is not available";
    std::filesystem::copy_file(dir / "full.mp3", dir / "stub.mp3");
    std::filesystem::resize_file(dir / "stub.mp3", 300);  // the tag/Xing frame and a sliver: no whole audio frame
    try {
        auto buffer = audio::decode(dir / "stub.mp3");
        // Accepting a handful of frames is fine; garbage is not.
        EXPECT_LT(buffer.frames(), 2000u);
    } catch (const Error& e) {
        EXPECT_EQ(e.subject(), (dir / "stub.mp3").string());
    }
}

TEST_F(BadInput, NonAsciiPathDecodes) {
    auto sub = dir / "Müsik ♫ 日本";
    std::filesystem::create_directories(sub);
    auto file = sub / "Ünïcødé sïne.wav";
    test::writeWav16(file, test::sine(440.0, 1.0, 22050), 22050);
    auto buffer = audio::decode(file);
    EXPECT_EQ(buffer.frames(), 22050u);
    auto info = audio::probe(file);
    EXPECT_EQ(info.sampleRate, 22050);
    // And a missing non-ASCII file is named intact in the message.
    auto missing = sub / "Fehlende Datei – ß.ogg";
    expectFileError(missing, "no such file", [&] { audio::decode(missing); });
}

}  // namespace

// fuzz_audio_decode found an MP3 whose Info header claims a length of days: decode() reserved the claimed 433 GB up
// front (bad_alloc, or an abort under ASan). The claim now bounds nothing: the file decodes what it holds or is
// refused with an Error naming it, and the buffer stays far below the claim.
TEST(AudioBadInput, ClaimedDurationDoesNotSizeTheBuffer) {
    for (const auto& file : test::fuzzRegressionInputs("audio_decode")) {
        SCOPED_TRACE(file.string());
        try {
            const auto buffer = audio::decode(file);
            EXPECT_LT(buffer.samples.capacity(), std::size_t(1) << 30);
        } catch (const Error& e) {
            EXPECT_EQ(e.subject(), file.string());
        }
    }
}
