// libtorch is loaded only by work that runs a network (core/ml/ModelRuntime.h): the programs do not link it, work
// without it, and say in one sentence why training cannot start when the module is missing or foreign.
#include "core/ml/ModelRuntime.h"

#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

namespace t = sonolab::test;
using namespace sonolab::ml;

namespace {

std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// The shared libraries a program asks the dynamic linker for at start (its DT_NEEDED entries).
std::string neededLibraries(const std::filesystem::path& program) {
    return t::capture("readelf -d " + q(program) + " | grep NEEDED");
}

std::filesystem::path cliOrEmpty() {
    const std::filesystem::path cli = t::cliPath();
    return std::filesystem::exists(cli) ? cli : std::filesystem::path();
}

std::filesystem::path someWav(const std::string& name) {
    const auto dir = t::freshDir(name);
    std::vector<float> x(22050 * 2);
    for (std::size_t i = 0; i < x.size(); ++i)  // clicks every 0.25 s over a quiet tone: onsets to find
        x[i] = 0.05f * float(std::sin(0.05 * double(i))) + ((i % 5512) < 40 ? 0.8f : 0.0f);
    t::writeWav16(dir / "clicks.wav", x, 22050);
    return dir / "clicks.wav";
}

}  // namespace

TEST(ModelRuntime, NeitherProgramLinksLibtorch) {
    const auto cli = cliOrEmpty();
    if (cli.empty()) GTEST_SKIP() << "sonolab-cli not built";
    const auto needed = neededLibraries(cli);
    ASSERT_NE(needed.find("libc.so"), std::string::npos) << needed;  // readelf worked
    EXPECT_EQ(needed.find("libtorch"), std::string::npos) << needed;
    EXPECT_EQ(needed.find("libc10"), std::string::npos) << needed;
    const auto gui = cli.parent_path() / "sonolab";
    if (std::filesystem::exists(gui)) {
        const auto guiNeeded = neededLibraries(gui);
        EXPECT_NE(guiNeeded.find("libQt6Widgets"), std::string::npos) << guiNeeded;
        EXPECT_EQ(guiNeeded.find("libtorch"), std::string::npos) << guiNeeded;
        EXPECT_EQ(guiNeeded.find("libc10"), std::string::npos) << guiNeeded;
    }
}

TEST(ModelRuntime, WithoutTheModuleDecodingAndFluxOnsetsWorkAndTrainingSaysWhy) {
    const auto cli = cliOrEmpty();
    if (cli.empty()) GTEST_SKIP() << "sonolab-cli not built";
    const auto wav = someWav("runtime-missing");
    const std::string missing = "SONOLAB_MODEL_RUNTIME=/nonexistent/libsonolab_models.so ";
    int status = -1;
    auto info = t::capture(missing + q(cli) + " info " + q(wav) + " --json 2>&1", &status);
    EXPECT_EQ(status, 0) << info;
    EXPECT_NE(info.find("22050"), std::string::npos) << info;
    auto onsets = t::capture(missing + q(cli) + " onsets " + q(wav) + " --method flux 2>&1", &status);
    EXPECT_EQ(status, 0) << onsets;
    std::vector<double> times;
    std::istringstream lines(onsets);
    for (double v; lines >> v;) times.push_back(v);
    ASSERT_EQ(times.size(), 8u) << onsets;  // one per click, 0.25 s apart
    for (std::size_t i = 1; i < times.size(); ++i) EXPECT_NEAR(times[i] - times[i - 1], 0.25, 0.011) << onsets;

    auto train = t::capture(missing + q(cli) + " bench train --models tutorial_cnn --examples 8 --epochs 2 2>&1", &status);
    EXPECT_NE(status, 0) << train;
    EXPECT_NE(train.find("/nonexistent/libsonolab_models.so"), std::string::npos) << train;
    EXPECT_NE(train.find("need Sonolab's model runtime"), std::string::npos) << train;
}

TEST(ModelRuntime, AForeignLibraryIsRefusedByName) {
    const auto cli = cliOrEmpty();
    if (cli.empty()) GTEST_SKIP() << "sonolab-cli not built";
    // Any shared library without the entry point: the C math library every program here has.
    const auto libm = t::capture("ldconfig -p | awk '/libm.so.6 .*x86-64|libm.so.6 .*AArch64/{print $NF; exit}'");
    const std::filesystem::path file = libm.substr(0, libm.find('\n'));
    if (file.empty() || !std::filesystem::exists(file)) GTEST_SKIP() << "no libm.so.6 found by ldconfig";
    int status = -1;
    auto out = t::capture("SONOLAB_MODEL_RUNTIME=" + q(file) + " " + q(cli) +
                              " bench train --models tutorial_cnn --examples 8 --epochs 2 2>&1", &status);
    EXPECT_NE(status, 0) << out;
    EXPECT_NE(out.find("is not a Sonolab model runtime"), std::string::npos) << out;
}

TEST(ModelRuntime, LoadsOnFirstUseAndDescribesItself) {
    std::string why;
    ASSERT_TRUE(modelRuntimeAvailable(&why)) << why;
    EXPECT_TRUE(modelRuntimeLoaded());
    EXPECT_EQ(modelRuntime().description().rfind("libtorch ", 0), 0u) << modelRuntime().description();
    EXPECT_EQ(&modelRuntime(), &modelRuntime());  // loaded once
}
