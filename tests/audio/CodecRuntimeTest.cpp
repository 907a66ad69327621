// FFmpeg is loaded only by work that decodes (core/audio/CodecRuntime.h): neither program links it, both start and
// answer --version without it, and decoding says in one sentence, naming the module, why it cannot when the module
// is missing or foreign.
#include "core/audio/AudioDecoder.h"
#include "core/audio/CodecRuntime.h"

#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

namespace t = sonolab::test;
using namespace sonolab;

namespace {

std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

std::filesystem::path cliOrSkip() {
    const std::filesystem::path cli = t::cliPath();
    return std::filesystem::exists(cli) ? cli : std::filesystem::path();
}

std::filesystem::path toneWav(const std::string& name) {
    const auto dir = t::freshDir(name);
    std::vector<float> x(22050);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.5f * float(std::sin(0.1 * double(i)));
    t::writeWav16(dir / "tone.wav", x, 22050);
    return dir / "tone.wav";
}

}  // namespace

TEST(CodecRuntime, NeitherProgramLinksFfmpeg) {
    const auto cli = cliOrSkip();
    if (cli.empty()) GTEST_SKIP() << "sonolab-cli not built";
    for (const auto& program : {cli, cli.parent_path() / "sonolab"}) {
        if (!std::filesystem::exists(program)) continue;
        const auto needed = t::capture("readelf -d " + q(program) + " | grep NEEDED");
        ASSERT_NE(needed.find("libc.so"), std::string::npos) << needed;  // readelf worked
        EXPECT_EQ(needed.find("libavcodec"), std::string::npos) << program << "\n" << needed;
        EXPECT_EQ(needed.find("libavformat"), std::string::npos) << program << "\n" << needed;
    }
}

TEST(CodecRuntime, LoadsOnFirstDecodeAndDecodes) {
    const auto wav = toneWav("codec-runtime-load");
    const auto buffer = audio::decode(wav);
    EXPECT_TRUE(audio::codecRuntimeLoaded());
    EXPECT_EQ(buffer.sampleRate, 22050);
    EXPECT_EQ(buffer.frames(), 22050u);
    EXPECT_EQ(&audio::codecRuntime(), &audio::codecRuntime());  // loaded once
}

TEST(CodecRuntime, WithoutTheModuleTheCliStartsAndDecodingSaysWhy) {
    const auto cli = cliOrSkip();
    if (cli.empty()) GTEST_SKIP() << "sonolab-cli not built";
    const auto wav = toneWav("codec-runtime-missing");
    const std::string missing = "SONOLAB_CODEC_RUNTIME=/nonexistent/libsonolab_codecs.so ";
    int status = -1;
    auto version = t::capture(missing + q(cli) + " --version 2>&1", &status);
    EXPECT_EQ(status, 0) << version;
    auto info = t::capture(missing + q(cli) + " info " + q(wav) + " 2>&1", &status);
    EXPECT_NE(status, 0) << info;
    EXPECT_NE(info.find("/nonexistent/libsonolab_codecs.so"), std::string::npos) << info;
    EXPECT_NE(info.find("decoding audio needs Sonolab's codec runtime"), std::string::npos) << info;
}

TEST(CodecRuntime, AForeignLibraryIsRefusedByName) {
    const auto cli = cliOrSkip();
    if (cli.empty()) GTEST_SKIP() << "sonolab-cli not built";
    const auto libm = t::capture("ldconfig -p | awk '/libm.so.6 .*x86-64|libm.so.6 .*AArch64/{print $NF; exit}'");
    const std::filesystem::path file = libm.substr(0, libm.find('\n'));
    if (file.empty() || !std::filesystem::exists(file)) GTEST_SKIP() << "no libm.so.6 found by ldconfig";
    int status = -1;
    auto out = t::capture("SONOLAB_CODEC_RUNTIME=" + q(file) + " " + q(cli) + " info " + q(toneWav("codec-foreign")) +
                              " 2>&1", &status);
    EXPECT_NE(status, 0) << out;
    EXPECT_NE(out.find("is not a Sonolab codec runtime"), std::string::npos) << out;
}
