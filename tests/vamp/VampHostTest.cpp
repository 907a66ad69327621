// The Vamp plugins (vamp/sonolab.so) in Debian's vamp-simple-host (package vamp-examples): onset instants as
// `sonolab-cli onsets` finds them on the same file (within one 10 ms hop), the detection function and log-mel /
// MFCC frames equal to the CLI's within float tolerance (the host prints 6 significant digits), and no Qt or libtorch
// in the plugin's dependencies.
#include "HostOutput.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

using namespace sonolab;
using test::parseHost;
namespace fs = std::filesystem;

namespace {

class VampHost : public ::testing::Test {
protected:
    void SetUp() override {
        cli_ = test::cliPath();
        plugins_ = test::vampPluginDir();
        if (!fs::exists(plugins_ / "sonolab.so")) GTEST_SKIP() << "the Vamp plugin is not built in " << plugins_;
        if (!test::haveProgram("vamp-simple-host")) GTEST_SKIP() << "vamp-simple-host (vamp-examples) not installed";
        dir_ = test::freshDir("vamp-host");
    }
    std::string host(const std::string& plugin, const fs::path& file) {
        int status = 0;
        const auto out = test::capture("VAMP_PATH='" + plugins_.string() + "' vamp-simple-host " + plugin + " '" +
                                           file.string() + "' 2>/dev/null",
                                       &status);
        EXPECT_EQ(status, 0) << plugin;
        return out;
    }
    std::string cli_;
    fs::path plugins_, dir_;
};

}  // namespace

TEST_F(VampHost, OnsetsAsTheCliFindsThem) {
    const std::vector<double> clicks{0.25, 0.75, 1.3, 1.62, 2.2, 2.5};
    for (int rate : {44100, 22050}) {  // 22.05 kHz: the plugin resamples to 44.1 kHz as the CLI's decoder does
        const fs::path wav = dir_ / ("clicks" + std::to_string(rate) + ".wav");
        test::writeWav16(wav, test::clickTrain(clicks, 3.0, rate), rate);
        int status = 0;
        const auto cli = nlohmann::json::parse(
            test::capture(cli_ + " onsets '" + wav.string() + "' --json --activation", &status));
        ASSERT_EQ(status, 0);
        const auto expected = cli["onsets"].get<std::vector<double>>();
        ASSERT_EQ(expected.size(), clicks.size()) << rate;
        const auto onsets = parseHost(host("sonolab:sonolab-onsets:onsets", wav));
        ASSERT_EQ(onsets.size(), expected.size()) << rate;
        for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(onsets[i].time, expected[i], 0.01) << rate;

        const auto activation = cli["activation"].get<std::vector<double>>();
        const auto detection = parseHost(host("sonolab:sonolab-onsets:detection", wav));
        // The host zero-pads the last block: the plugin's function may run a few frames longer.
        ASSERT_GE(detection.size(), activation.size());
        if (rate != 44100) continue;  // resampled by another path: equal onsets, not equal to 6 digits
        for (std::size_t i = 0; i < activation.size(); ++i) {
            ASSERT_EQ(detection[i].values.size(), 1u);
            EXPECT_NEAR(detection[i].values[0], activation[i], 1e-5 * std::abs(activation[i]) + 1e-4) << i;
            EXPECT_NEAR(detection[i].time, i / 100.0, 1e-9);
        }
    }
}

TEST_F(VampHost, LogMelAndMfccAsSonolabCliFeatures) {
    const fs::path wav = dir_ / "tone.wav";
    auto samples = test::sine(440, 2.0, 22050, 0.3f);
    const auto clicks = test::clickTrain({0.5, 1.2}, 2.0, 22050);
    for (std::size_t i = 0; i < samples.size(); ++i) samples[i] += clicks[i];
    test::writeWav16(wav, samples, 22050);
    for (const std::string kind : {"logmel", "mfcc"}) {
        const fs::path npy = dir_ / (kind + ".npy");
        ASSERT_EQ(test::run(cli_ + " features '" + wav.string() + "' --kind " + kind + " --out '" + npy.string() +
                            "' >/dev/null"),
                  0);
        const auto expected = readNpy(npy);  // (bins, frames)
        ASSERT_EQ(expected.shape.size(), 2u);
        const std::size_t bins = expected.shape[0], frames = expected.shape[1];
        const auto rows = parseHost(host("sonolab:sonolab-features:" + kind, wav));
        ASSERT_GE(rows.size(), frames) << kind;
        // The last frames see the host's zero padding instead of the CLI's reflection at the end of the file.
        const std::size_t compared = frames - 2;
        // Float tolerance: the host prints 6 significant digits, and FFTW picks its plan per process, so the float
        // rounding of the two runs differs; in dB that reaches ~1e-3 for bins 60 dB under the frame's peak. An
        // orthonormal DCT of 80 such bins moves an MFCC by at most sqrt(80) times that.
        const double floor = kind == "logmel" ? 5e-3 : 5e-2;
        for (std::size_t f = 0; f < compared; ++f) {
            ASSERT_EQ(rows[f].values.size(), bins) << kind;
            EXPECT_NEAR(rows[f].time, double(f) * 512 / 22050, 1e-8);
            for (std::size_t b = 0; b < bins; ++b) {
                const double want = expected.data[b * frames + f];
                ASSERT_NEAR(rows[f].values[b], want, 1e-5 * std::abs(want) + floor) << kind << " frame " << f << " bin " << b;
            }
        }
    }
}

TEST_F(VampHost, ThePluginLoadsNoQtAndNoLibtorch) {
    int status = 0;
    const auto deps = test::capture("ldd '" + (plugins_ / "sonolab.so").string() + "'", &status);
    ASSERT_EQ(status, 0);
    EXPECT_EQ(deps.find("libQt"), std::string::npos) << deps;
    EXPECT_EQ(deps.find("libtorch"), std::string::npos) << deps;
    EXPECT_EQ(deps.find("libc10"), std::string::npos) << deps;
    // Only the Vamp entry point is exported.
    const auto symbols = test::capture("nm -D --defined-only '" + (plugins_ / "sonolab.so").string() + "'", &status);
    EXPECT_NE(symbols.find("vampGetPluginDescriptor"), std::string::npos);
    EXPECT_EQ(symbols.find("sonolab"), std::string::npos) << symbols;
    const auto listed = test::capture("VAMP_PATH='" + plugins_.string() + "' vamp-simple-host --list 2>&1", &status);
    EXPECT_NE(listed.find("\"sonolab-onsets\""), std::string::npos) << listed;
    EXPECT_NE(listed.find("\"sonolab-features\""), std::string::npos) << listed;
    EXPECT_NE(listed.find("\"sonolab-onsets-rnn\""), std::string::npos) << listed;
    EXPECT_NE(listed.find("\"sonolab-classifier\""), std::string::npos) << listed;
}
