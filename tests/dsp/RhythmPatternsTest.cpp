#include "core/dsp/RhythmPatterns.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <random>

using namespace sonolab::dsp;
namespace t = sonolab::test;

namespace {
// Clicks (short noise bursts) every `period` seconds over a quiet noise floor.
std::vector<float> clickTrain(int sr, double seconds, double period, unsigned seed = 1) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0, 1);
    std::vector<float> x(static_cast<std::size_t>(sr * seconds));
    for (auto& v : x) v = 0.001f * g(rng);
    for (double c = 0.05; c < seconds; c += period) {
        const auto at = static_cast<std::size_t>(c * sr);
        for (std::size_t i = 0; i < 200 && at + i < x.size(); ++i) x[at + i] += 0.8f * g(rng) * std::exp(-float(i) / 40.0f);
    }
    return x;
}
}  // namespace

TEST(RhythmPatterns, ShapesAndSegmentsFollowRpExtract) {
    RhythmPatterns rp;
    EXPECT_EQ(rp.segmentSize(), 1 << 18);
    EXPECT_NEAR(rp.modulationHz(0), 44100.0 / 262144.0, 1e-9);
    auto f = rp.compute(clickTrain(44100, 13.0, 0.5));
    EXPECT_EQ(f.rp.size(), 1440u);
    EXPECT_EQ(f.ssd.size(), 168u);
    EXPECT_EQ(f.rh.size(), 60u);
    EXPECT_EQ(f.segments, 2);  // floor(13 s / 5.94 s)
    // Short audio is padded to one segment unless asked not to.
    auto shortOne = rp.compute(clickTrain(44100, 2.0, 0.5));
    EXPECT_EQ(shortOne.segments, 1);
    RhythmPatterns strict({.padShort = false});
    EXPECT_THROW(strict.compute(clickTrain(44100, 2.0, 0.5)), sonolab::Error);
    EXPECT_THROW(RhythmPatterns({.sampleRate = 16000}), sonolab::Error);
}

TEST(RhythmPatterns, ClickTrainRhythmHistogramPeaksAtTheClickRate) {
    // 2 clicks per second -> the largest modulation away from the lowest bins is at 2 Hz (or a harmonic of it).
    RhythmPatterns rp;
    for (double rate : {2.0, 3.0}) {
        auto f = rp.compute(clickTrain(44100, 12.0, 1.0 / rate));
        int best = 3;
        for (int m = 3; m < 60; ++m)
            if (f.rh[m] > f.rh[best]) best = m;
        const double hz = rp.modulationHz(best);
        const double harmonic = hz / rate;
        EXPECT_NEAR(harmonic, std::round(harmonic), 0.1) << "peak at " << hz << " Hz for " << rate << " clicks/s";
        EXPECT_GE(std::round(harmonic), 1.0);
        // The fundamental itself stands well above its neighbourhood.
        const int fundamental = static_cast<int>(std::lround(rate / rp.modulationHz(0))) - 1;
        float around = 0;
        for (int m = fundamental - 5; m <= fundamental + 5; ++m)
            if (std::abs(m - fundamental) > 1) around = std::max(around, f.rh[m]);
        EXPECT_GT(std::max({f.rh[fundamental - 1], f.rh[fundamental], f.rh[fundamental + 1]}), 2.0f * around);
    }
}

TEST(RhythmPatterns, AgreesWithNumpyReference) {
    const auto py = t::pythonWithNumpy();
    if (py.empty()) GTEST_SKIP() << "numpy reference skipped: /usr/bin/python3 cannot import numpy";
    auto dir = t::freshDir("dsp-rp-ref");
    const int sr = 44100;
    auto x = clickTrain(sr, 12.5, 0.37, 9);
    for (std::size_t i = 0; i < x.size(); ++i)  // plus a tone that grows louder, to cross the phon contours
        x[i] += float(0.2 * (double(i) / x.size()) * std::sin(2 * std::numbers::pi * 880.0 * double(i) / sr));
    {
        std::ofstream f(dir / "in.f32", std::ios::binary);
        f.write(reinterpret_cast<const char*>(x.data()), std::streamsize(x.size() * 4));
    }
    const auto cmd = py + " " + (t::sourceDir() / "scripts/reference/rp_reference.py").string() + " " +
                     (dir / "in.f32").string() + " " + (dir / "out.f32").string() + " 44100";
    ASSERT_EQ(t::run(cmd), 0) << cmd;
    std::vector<float> ref(1440 + 168 + 60);
    std::ifstream f(dir / "out.f32", std::ios::binary);
    f.read(reinterpret_cast<char*>(ref.data()), std::streamsize(ref.size() * 4));
    ASSERT_TRUE(f);
    auto ours = RhythmPatterns().compute(x);
    auto compare = [&](const std::vector<float>& a, std::size_t offset, const char* name) {
        double worst = 0, scale = 0;
        for (std::size_t i = 0; i < a.size(); ++i) scale = std::max(scale, double(std::abs(ref[offset + i])));
        for (std::size_t i = 0; i < a.size(); ++i)
            worst = std::max(worst, std::abs(double(a[i]) - ref[offset + i]) / (std::abs(ref[offset + i]) + 1e-3 * scale));
        std::printf("[ numpy ] %s: max relative difference %.2e\n", name, worst);
        EXPECT_LT(worst, 1e-3) << name;
    };
    compare(ours.rp, 0, "rp");
    compare(ours.ssd, 1440, "ssd");
    compare(ours.rh, 1608, "rh");
}
