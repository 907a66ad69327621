// Streaming delivers the same samples as a whole decode, in chunks, can stop early, reports progress and cancels.
#include "audio/AudioTestUtil.h"
#include "core/audio/AudioDecoder.h"

#include <gtest/gtest.h>

using namespace sonolab;

namespace {

class Streaming : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto dir = test::freshDir("audio-streaming");
        auto stereo = test::sine(330.0, 12.0, 44100, 0.4f);
        std::vector<float> inter(stereo.size() * 2);
        for (std::size_t i = 0; i < stereo.size(); ++i) inter[2 * i] = inter[2 * i + 1] = stereo[i];
        test::writeWav16(dir / "long.wav", inter, 44100, 2);
        file_ = new std::filesystem::path(dir / "long.wav");
        mp3_ = new std::filesystem::path(dir / "long.mp3");
        if (!test::ffmpegEncode(*file_, *mp3_, "-c:a libmp3lame -b:a 128k")) *mp3_ = std::filesystem::path();
    }
    static void TearDownTestSuite() {
        delete file_;
        delete mp3_;
    }
    static std::filesystem::path* file_;
    static std::filesystem::path* mp3_;
};
std::filesystem::path* Streaming::file_ = nullptr;
std::filesystem::path* Streaming::mp3_ = nullptr;

TEST_F(Streaming, ChunksConcatenateToTheWholeDecode) {
    for (const auto& path : {*file_, *mp3_}) {
        if (path.empty()) continue;
        const audio::DecodeOptions opts{.sampleRate = 22050, .mono = true};
        auto whole = audio::decode(path, opts);
        std::vector<float> joined;
        int chunks = 0;
        auto info = audio::decodeStreaming(path, opts, [&](std::span<const float> c) {
            ++chunks;
            joined.insert(joined.end(), c.begin(), c.end());
            return true;
        });
        EXPECT_GT(chunks, 3) << "a 12 s file should arrive in several chunks";
        EXPECT_EQ(info.frames, std::int64_t(whole.frames()));
        EXPECT_EQ(info.sampleRate, 22050);
        EXPECT_EQ(info.channels, 1);
        EXPECT_EQ(joined, whole.samples) << path;
    }
}

TEST_F(Streaming, StereoChunksHoldWholeFrames) {
    std::size_t total = 0;
    audio::decodeStreaming(*file_, {.mono = false}, [&](std::span<const float> c) {
        EXPECT_EQ(c.size() % 2, 0u);
        total += c.size();
        return true;
    });
    EXPECT_EQ(total, 12u * 44100u * 2u);
}

TEST_F(Streaming, CallbackCanStopEarly) {
    int chunks = 0;
    auto info = audio::decodeStreaming(*file_, {}, [&](std::span<const float>) { return ++chunks < 2; });
    EXPECT_EQ(chunks, 2);
    EXPECT_LT(info.frames, 12 * 44100);
}

TEST_F(Streaming, ReportsProgressAndCancels) {
    Progress progress;
    double last = -1, total = 0;
    progress.report = [&](double done, double t, const std::string&) {
        EXPECT_GE(done, last);
        last = done;
        total = t;
    };
    audio::decode(*file_, {}, &progress);
    EXPECT_NEAR(total, 12.0, 0.01);
    EXPECT_NEAR(last, 12.0, 0.01);

    Progress cancelling;
    cancelling.report = [&](double done, double, const std::string&) {
        if (done > 2.0) cancelling.cancel.cancel();
    };
    EXPECT_THROW(audio::decode(*file_, {}, &cancelling), Cancelled);
}

}  // namespace
