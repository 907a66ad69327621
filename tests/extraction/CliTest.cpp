// sonolab-cli features / extract end to end: the command-line forms of issue 3 are a contract.
#include "core/audio/AudioDecoder.h"
#include "core/extraction/FeatureKinds.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <csignal>
#include <random>

using namespace sonolab;
namespace t = sonolab::test;

namespace {
std::string cliOrSkip() {
    const auto cli = t::cliPath();
    if (cli.empty() || !std::filesystem::exists(cli)) return {};
    return cli;
}
std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

std::vector<float> music(double seconds, int sr, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0, 1);
    std::vector<float> x(static_cast<std::size_t>(seconds * sr));
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / sr;
        x[i] = 0.2f * float(std::sin(2 * 3.14159265 * (220 + 20 * seed) * t)) + 0.01f * g(rng);
        if (std::fmod(t, 0.5) < 0.01) x[i] += 0.5f * g(rng);
    }
    return x;
}
}  // namespace

TEST(CliFeatures, WritesBandsByFramesNpyEqualToTheLibraryAndDocumentsConventions) {
    const auto cli = cliOrSkip();
    if (cli.empty()) GTEST_SKIP() << "sonolab-cli not built (SONOLAB_CLI=" << t::cliPath() << ")";
    auto dir = t::freshDir("cli-features");
    t::writeWav16(dir / "a.wav", music(3.0, 22050, 1), 22050);
    int status = 0;
    auto out = t::capture(cli + " features " + q(dir / "a.wav") + " --kind logmel --sr 22050 --n-fft 1024 --hop 512"
                          " --n-mels 80 --fmin 0 --fmax 11025 --out " + q(dir / "a.npy") + " 2>&1", &status);
    ASSERT_EQ(status, 0) << out;
    auto npy = readNpy(dir / "a.npy");
    const std::size_t frames = 1 + 66150 / 512;
    ASSERT_EQ(npy.shape, (std::vector<std::size_t>{80, frames}));
    auto decoded = audio::decode(dir / "a.wav", {.sampleRate = 22050, .mono = true});
    auto direct = extraction::computeFeature(extraction::specFor({.kind = "logmel"}), decoded.samples);
    // Same numbers up to FFTW's choice of algorithm (plans are measured per process, so last bits may differ).
    const auto expected = direct.values();
    ASSERT_EQ(npy.data.size(), expected.size());
    double worst = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) worst = std::max(worst, double(std::abs(npy.data[i] - expected[i])));
    EXPECT_LT(worst, 1e-3) << "dB";

    ASSERT_EQ(t::run(cli + " features " + q(dir / "a.wav") + " --kind mfcc --n-mfcc 13 --out " + q(dir / "m.npy") +
                     " >/dev/null"), 0);
    EXPECT_EQ(readNpy(dir / "m.npy").shape, (std::vector<std::size_t>{13, frames}));
    ASSERT_EQ(t::run(cli + " features " + q(dir / "a.wav") + " --kind onsets --out " + q(dir / "o.npy") + " >/dev/null"), 0);
    EXPECT_EQ(readNpy(dir / "o.npy").shape, (std::vector<std::size_t>{1, 300}));
    ASSERT_EQ(t::run(cli + " features " + q(dir / "a.wav") + " --kind ssd --out " + q(dir / "s.npy") + " >/dev/null"), 0);
    EXPECT_EQ(readNpy(dir / "s.npy").shape, (std::vector<std::size_t>{24, 7}));

    auto help = t::capture(cli + " features --help 2>&1");
    for (const char* needle : {"slaney", "top_db 80", "ref 1.0", "--n-mels", "--fmax", "reflect", "flatten('F')"})
        EXPECT_NE(help.find(needle), std::string::npos) << needle;

    // Errors name the problem and fail.
    std::ofstream(dir / "bad.mp3") << "not audio";
    auto err = t::capture(cli + " features " + q(dir / "bad.mp3") + " --out " + q(dir / "b.npy") + " 2>&1", &status);
    EXPECT_NE(status, 0);
    EXPECT_NE(err.find("bad.mp3"), std::string::npos) << err;
    EXPECT_NE(t::run(cli + " features " + q(dir / "a.wav") + " --kind nope --out " + q(dir / "b.npy") + " 2>/dev/null"), 0);
}

TEST(CliExtract, ReportsBadFilesResumesAndStopsCleanlyOnCtrlC) {
    const auto cli = cliOrSkip();
    if (cli.empty()) GTEST_SKIP() << "sonolab-cli not built (SONOLAB_CLI=" << t::cliPath() << ")";
    auto dir = t::freshDir("cli-extract");
    const int n = 16;
    std::filesystem::create_directories(dir / "music");
    for (int i = 0; i < n; ++i) t::writeWav16(dir / "music" / ("t" + std::to_string(i) + ".wav"), music(30.0, 44100, i), 44100);
    std::ofstream(dir / "music" / "corrupt.mp3") << "garbage garbage garbage";

    // Ctrl-C once the first entry exists: exit 130, a message, only complete entries in the cache.
    const auto cache = dir / "cache";
    const std::string run = cli + " extract " + q(dir / "music") + " --cache " + q(cache) + " --kind rp --threads 1";
    const std::string script = "( " + run + " >" + q(dir / "out1") + " 2>" + q(dir / "err1") + " & pid=$!; i=0; "
                               "while [ -z \"$(find " + q(cache) + " -name '*.npy' 2>/dev/null)\" ] && [ $i -lt 3000 ]; "
                               "do sleep 0.01; i=$((i+1)); done; kill -INT $pid; wait $pid; echo $? >" + q(dir / "rc") + " )";
    ASSERT_EQ(t::run(script), 0);
    std::ifstream rcFile(dir / "rc");
    int rc = -1;
    rcFile >> rc;
    auto err1 = t::capture("cat " + q(dir / "err1"));
    EXPECT_EQ(rc, 130) << err1;
    EXPECT_NE(err1.find("stopped"), std::string::npos) << err1;
    std::size_t first = 0;
    for (auto& e : std::filesystem::recursive_directory_iterator(cache)) {
        if (!e.is_regular_file()) continue;
        EXPECT_NE(e.path().filename().string()[0], '.') << "torn temporary file left: " << e.path();
        first += e.path().extension() == ".npy";
    }
    EXPECT_GE(first, 1u);
    EXPECT_LT(first, std::size_t(n));

    // Rerun: resumes (skips what is cached), reports the corrupt file by name, exit status 3.
    int status = 0;
    auto out2 = t::capture(run + " 2>&1", &status);
    EXPECT_EQ(status, 3) << out2;
    EXPECT_NE(out2.find("corrupt.mp3"), std::string::npos) << out2;
    EXPECT_NE(out2.find(std::to_string(n - first) + " computed, " + std::to_string(first) + " already cached, 1 failed"),
              std::string::npos)
        << out2;
    auto out3 = t::capture(run + " 2>&1", &status);
    EXPECT_NE(out3.find("0 computed, " + std::to_string(n) + " already cached"), std::string::npos) << out3;
    std::size_t entries = 0;
    for (auto& e : std::filesystem::directory_iterator(cache / "v1" / extraction::specFor({.kind = "rp"}).hashHex()))
        if (e.path().extension() == ".npy") {
            EXPECT_EQ(readNpy(e.path()).shape, (std::vector<std::size_t>{24, 60}));
            ++entries;
        }
    EXPECT_EQ(entries, std::size_t(n));
}

// A file-size limit (ulimit -f) is a write error naming the entry, as a full disk is: the process is not killed by
// SIGXFSZ halfway through a write, no temporary file stays behind, and the entries written before are whole.
TEST(CliExtract, AFileSizeLimitIsAnErrorNotACrash) {
    const std::string cli = cliOrSkip();
    if (cli.empty()) GTEST_SKIP() << "sonolab-cli not built";
    const auto dir = t::freshDir("extract-fsize");
    std::filesystem::create_directories(dir / "audio");
    for (int i = 0; i < 3; ++i) t::writeWav16(dir / "audio" / ("t" + std::to_string(i) + ".wav"),
                                              t::sine(300.0 + 100 * i, 4.0, 22050), 22050);
    // 8 KiB: the cache's spec.txt fits, a 4-s log-mel entry (~14 KiB) does not.
    int status = -1;
    const auto out = t::capture("ulimit -f 8; " + cli + " extract " + q(dir / "audio") + " --cache " + q(dir / "cache") +
                                    " --threads 1 --quiet 2>&1",
                                &status);
    // The shell reports a program killed by SIGXFSZ (25) as 128 + 25.
    ASSERT_NE(status, 128 + SIGXFSZ) << "killed by SIGXFSZ: " << out;
    EXPECT_NE(status, 0) << out;
    EXPECT_NE(out.find("File too large"), std::string::npos) << out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir / "cache")) {
        EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
        if (entry.path().extension() == ".npy") EXPECT_NO_THROW(readNpy(entry.path())) << entry.path();
    }
}
