// `sonolab-cli info`: good files reported, a bad one named on stderr with a non-zero exit, the rest still reported.
#include "audio/AudioTestUtil.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace sonolab;

namespace {

class InfoCommand : public ::testing::Test {
protected:
    void SetUp() override {
        cli = test::cliPath();
        if (!std::filesystem::exists(cli)) GTEST_SKIP() << "sonolab-cli is not built (" << cli << ")";
        dir = test::freshDir("audio-info-cli");
        auto l = test::sine(440.0, 2.5, 32000);
        std::vector<float> stereo;
        for (float s : l) stereo.insert(stereo.end(), {s, -s});
        test::writeWav16(dir / "tone.wav", stereo, 32000, 2);
        std::ofstream(dir / "notes.mp3") << "a text file, not audio\n";
    }
    std::string cli;
    std::filesystem::path dir;
};

TEST_F(InfoCommand, JsonReportsEveryFileAndFailsForTheBadOne) {
    int status = 0;
    const std::string out = test::capture("'" + cli + "' info '" + (dir / "tone.wav").string() + "' '" +
                                              (dir / "notes.mp3").string() + "' '" + (dir / "tone.wav").string() +
                                              "' --json 2>/dev/null",
                                          &status);
    EXPECT_NE(status, 0);
    auto j = nlohmann::json::parse(out);
    ASSERT_EQ(j.size(), 3u);
    for (int i : {0, 2}) {
        EXPECT_EQ(j[i]["codec"], "pcm_s16le");
        EXPECT_EQ(j[i]["container"], "wav");
        EXPECT_EQ(j[i]["sample_rate"], 32000);
        EXPECT_EQ(j[i]["channels"], 2);
        EXPECT_NEAR(j[i]["duration_seconds"].get<double>(), 2.5, 1e-9);
        EXPECT_EQ(j[i]["frames"], 80000);
    }
    EXPECT_TRUE(j[1].contains("error"));
    EXPECT_EQ(j[1]["file"], (dir / "notes.mp3").string());
}

TEST_F(InfoCommand, TextOutputAndMessageOnStderr) {
    int status = 0;
    const std::string out = test::capture("'" + cli + "' info '" + (dir / "tone.wav").string() + "' '" +
                                              (dir / "missing.ogg").string() + "' 2>&1",
                                          &status);
    EXPECT_EQ(status, 1);
    EXPECT_NE(out.find("32000 Hz, 2 channels"), std::string::npos) << out;
    EXPECT_NE(out.find("0:02.5"), std::string::npos) << out;
    EXPECT_NE(out.find((dir / "missing.ogg").string() + ": no such file"), std::string::npos) << out;
    int okStatus = -1;
    test::capture("'" + cli + "' info '" + (dir / "tone.wav").string() + "' >/dev/null 2>&1", &okStatus);
    EXPECT_EQ(okStatus, 0);
}

}  // namespace
