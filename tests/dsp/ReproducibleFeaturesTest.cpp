// Features are the same bytes in every process: the FFT's plan must not depend on timing (FFTW_MEASURE picked other
// algorithms from run to run, which round differently, so two extractions of one file differed in every entry).
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

namespace t = sonolab::test;

namespace {
std::string bytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}
}  // namespace

TEST(ReproducibleFeatures, TwoProcessesWriteIdenticalBytes) {
    const std::string cli = t::cliPath();
    if (!std::filesystem::exists(cli)) GTEST_SKIP() << "sonolab-cli not built";
    const auto dir = t::freshDir("reproducible-features");
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> white(-0.5f, 0.5f);
    std::vector<float> x(22050 * 5);
    for (float& s : x) s = white(rng);
    t::writeWav16(dir / "noise.wav", x, 22050);
    for (const char* kind : {"logmel", "mfcc"})
        for (int nfft : {1024, 2048}) {
            std::string outs[2];
            for (int run = 0; run < 2; ++run) {
                const auto out = dir / (std::string(kind) + std::to_string(nfft) + "-" + std::to_string(run) + ".npy");
                int status = -1;
                const auto log = t::capture(cli + " features '" + (dir / "noise.wav").string() + "' --kind " + kind +
                                                " --n-fft " + std::to_string(nfft) + " --out '" + out.string() + "' 2>&1",
                                            &status);
                ASSERT_EQ(status, 0) << log;
                outs[run] = bytes(out);
            }
            ASSERT_GT(outs[0].size(), 1000u);
            EXPECT_TRUE(outs[0] == outs[1]) << kind << " n_fft " << nfft << ": two runs differ";
        }
}
