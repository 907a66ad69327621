#include "core/dsp/Decibels.h"
#include "core/dsp/MelFilterbank.h"
#include "core/dsp/Stft.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <numbers>
#include <random>

using namespace sonolab::dsp;
namespace t = sonolab::test;

TEST(Window, PeriodicHannMatchesFormulaAndSymmetricEndsAtZero) {
    auto w = makeWindow(WindowType::Hann, 8, true);
    for (int n = 0; n < 8; ++n) EXPECT_NEAR(w[n], 0.5 - 0.5 * std::cos(2 * std::numbers::pi * n / 8), 1e-7);
    auto s = makeWindow(WindowType::Hann, 9, false);
    EXPECT_FLOAT_EQ(s[0], 0.0f);
    EXPECT_FLOAT_EQ(s[8], 0.0f);
    EXPECT_FLOAT_EQ(s[4], 1.0f);
    auto h = makeWindow(WindowType::Hamming, 5, false);
    EXPECT_NEAR(h[0], 0.08f, 1e-6);
    auto b = makeWindow(WindowType::Blackman, 5, false);
    EXPECT_NEAR(b[2], 1.0f, 1e-6);
    EXPECT_THROW(makeWindow(WindowType::Hann, 0), sonolab::Error);
}

TEST(Stft, FrameCountFollowsLibrosa) {
    Stft s({.nFft = 1024, .hop = 512});
    EXPECT_EQ(s.frameCount(22050), 1u + 22050u / 512u);
    EXPECT_EQ(s.bins(), 513);
    Stft u({.nFft = 1024, .hop = 256, .center = false});
    EXPECT_EQ(u.frameCount(1000), 0u);
    EXPECT_EQ(u.frameCount(1024 + 256 * 3 + 5), 4u);
}

TEST(Stft, ParsevalHoldsForEachFrame) {
    // Rectangular window, no centring: sum |x|^2 == (|X0|^2 + 2 sum |Xk|^2 + |XN/2|^2) / N.
    std::mt19937 rng(1);
    std::normal_distribution<float> g(0, 0.3f);
    std::vector<float> x(4096);
    for (auto& v : x) v = g(rng);
    Stft s({.nFft = 512, .hop = 512, .window = WindowType::Rectangular, .center = false});
    auto P = s.power(x);
    ASSERT_EQ(P.frames(), 8u);
    for (std::size_t f = 0; f < P.frames(); ++f) {
        double time = 0, freq = 0;
        for (int j = 0; j < 512; ++j) time += double(x[f * 512 + j]) * x[f * 512 + j];
        for (int k = 0; k <= 256; ++k) freq += (k == 0 || k == 256 ? 1.0 : 2.0) * P.at(f, k);
        EXPECT_NEAR(freq / 512.0, time, 1e-4 * time);
    }
}

TEST(Stft, SinePeaksAtItsBinAndTiledFramesMatchTheWhole) {
    const int sr = 22050;
    auto x = t::sine(sr * 40.0 / 1024, 1.0, sr);  // exactly on bin 40
    Stft s({.nFft = 1024, .hop = 256});
    auto M = s.magnitude(x);
    for (std::size_t f = 4; f + 4 < M.frames(); ++f) {
        auto fr = M.row(f);
        EXPECT_EQ(std::max_element(fr.begin(), fr.end()) - fr.begin(), 40);
        // Amplitude 0.5 under a periodic Hann (sum 512): |X| = 0.5 * 512 / 2 = 128.
        EXPECT_NEAR(fr[40], 128.0f, 0.5f);
    }
    auto P = s.power(x);
    auto tile = s.power(x, 10, 7);
    ASSERT_EQ(tile.frames(), 7u);
    for (std::size_t f = 0; f < 7; ++f)
        for (std::size_t k = 0; k < tile.bins(); ++k) ASSERT_FLOAT_EQ(tile.at(f, k), P.at(10 + f, k));
    auto end = s.power(x, P.frames() - 2, 100);
    EXPECT_EQ(end.frames(), 2u);
}

TEST(Mel, SlaneyScaleKnownValues) {
    EXPECT_NEAR(hzToMel(1000.0f, false), 15.0f, 1e-5);
    EXPECT_NEAR(hzToMel(500.0f, false), 7.5f, 1e-5);
    EXPECT_NEAR(melToHz(hzToMel(4321.0f, false), false), 4321.0f, 0.05f);
    EXPECT_NEAR(hzToMel(1000.0f, true), 999.9856f, 1e-2);
}

TEST(Mel, FiltersCoverTheSpectrumAndAreaNormalised) {
    MelFilterbank fb({.sampleRate = 22050, .nFft = 2048, .nMels = 40, .slaneyNorm = false});
    auto W = fb.weights();
    const int bins = fb.bins();
    // Unnormalised triangles of neighbouring bands sum to 1 between the first and the last centre.
    const double firstCentre = melToHzD(hzToMelD(11025, false) / 41.0, false);
    const double lastCentre = melToHzD(hzToMelD(11025, false) * 40.0 / 41.0, false);
    for (int k = 0; k < bins; ++k) {
        const double f = 22050.0 * k / 2048;
        if (f <= firstCentre || f >= lastCentre) continue;
        double sum = 0;
        for (int m = 0; m < 40; ++m) sum += W[m * bins + k];
        EXPECT_NEAR(sum, 1.0, 1e-5) << "bin " << k;
    }
    MelFilterbank sl({.sampleRate = 22050, .nFft = 2048, .nMels = 40});
    auto S = sl.weights();
    for (int m = 0; m < 40; ++m) {
        auto [a, b] = sl.support(m);
        EXPECT_LT(a, b);
        double peak = 0;
        for (int k = 0; k < bins; ++k) peak = std::max(peak, double(S[m * bins + k]));
        EXPECT_GT(peak, 0.0);
    }
}

TEST(Mel, SineLandsInTheBandWhoseCentreIsNearest) {
    const int sr = 22050;
    auto x = t::sine(1500.0, 1.0, sr);
    Stft s({.nFft = 2048, .hop = 512});
    MelFilterbank fb({.sampleRate = sr, .nFft = 2048, .nMels = 64, .slaneyNorm = false});
    auto mel = fb.apply(s.power(x));
    auto fr = mel.row(mel.frames() / 2);
    const int best = int(std::max_element(fr.begin(), fr.end()) - fr.begin());
    const double melMax = hzToMelD(sr / 2.0, false);
    int expected = 0;
    double bestDistance = 1e9;
    for (int m = 0; m < 64; ++m) {
        const double centre = melToHzD(melMax * (m + 1) / 65.0, false);
        if (std::abs(centre - 1500.0) < bestDistance) bestDistance = std::abs(centre - 1500.0), expected = m;
    }
    EXPECT_EQ(best, expected);
}

TEST(Decibels, PowerAndAmplitudeFollowLibrosa) {
    std::vector<float> v{1.0f, 100.0f, 1e-12f, 0.0f};
    powerToDb(v);
    EXPECT_NEAR(v[0], 0.0f, 1e-6);
    EXPECT_NEAR(v[1], 20.0f, 1e-5);
    EXPECT_NEAR(v[2], -60.0f, 1e-4);  // amin 1e-10 -> -100, clipped at 20 - 80
    std::vector<float> m{10.0f, 1.0f, 0.1f};
    amplitudeToDb(m, {.refIsMax = true});
    EXPECT_NEAR(m[0], 0.0f, 1e-5);
    EXPECT_NEAR(m[1], -20.0f, 1e-4);
    EXPECT_NEAR(m[2], -40.0f, 1e-4);
    std::vector<float> r{4.0f, 2.0f};
    powerToDb(r, {.refIsMax = true, .topDb = 0});
    EXPECT_NEAR(r[1], -3.0103f, 1e-4);
}

namespace {
std::vector<float> testSignal(int sr, double seconds) {
    std::mt19937 rng(7);
    std::normal_distribution<float> g(0, 0.05f);
    std::vector<float> x(static_cast<std::size_t>(sr * seconds));
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / sr;
        x[i] = 0.3f * float(std::sin(2 * std::numbers::pi * 440 * t)) +
               0.2f * float(std::sin(2 * std::numbers::pi * 3000 * t * (1 + 0.1 * t))) + g(rng);
        if (i > x.size() / 2) x[i] *= 0.01f;  // a quiet half exercises low levels
    }
    return x;
}

struct RefCase {
    int sr, nFft, hop, nMels;
    float fmin, fmax;
    bool htk, norm;
};

void compareWithNumpy(const RefCase& c) {
    const auto py = t::pythonWithNumpy();
    if (py.empty()) GTEST_SKIP() << "numpy reference skipped: /usr/bin/python3 cannot import numpy";
    auto dir = t::freshDir("dsp-logmel-ref");
    auto x = testSignal(c.sr, 3.0);
    {
        std::ofstream f(dir / "in.f32", std::ios::binary);
        f.write(reinterpret_cast<const char*>(x.data()), std::streamsize(x.size() * sizeof(float)));
    }
    const std::string cmd = py + " " + (t::sourceDir() / "scripts/reference/logmel_reference.py").string() + " " +
                            (dir / "in.f32").string() + " " + (dir / "out.f32").string() + " " +
                            std::to_string(c.sr) + " " + std::to_string(c.nFft) + " " + std::to_string(c.hop) + " " +
                            std::to_string(c.nMels) + " " + std::to_string(c.fmin) + " " + std::to_string(c.fmax) +
                            " " + (c.htk ? "1" : "0") + " " + (c.norm ? "1" : "0");
    ASSERT_EQ(t::run(cmd), 0) << cmd;
    std::ifstream f(dir / "out.f32", std::ios::binary);
    std::int32_t shape[2];
    f.read(reinterpret_cast<char*>(shape), 8);
    std::vector<float> ref(static_cast<std::size_t>(shape[0]) * shape[1]);
    f.read(reinterpret_cast<char*>(ref.data()), std::streamsize(ref.size() * 4));
    ASSERT_TRUE(f);

    Stft stft({.nFft = c.nFft, .hop = c.hop});
    MelFilterbank fb({.sampleRate = c.sr, .nFft = c.nFft, .nMels = c.nMels, .fmin = c.fmin, .fmax = c.fmax,
                      .htk = c.htk, .slaneyNorm = c.norm});
    auto mel = fb.apply(stft.power(x));
    powerToDb(mel.mutableValues());
    ASSERT_EQ(shape[0], c.nMels);
    ASSERT_EQ(std::size_t(shape[1]), mel.frames());
    const auto transposed = mel.transposed();
    const auto ours = transposed.values();
    double worst = 0;
    std::size_t compared = 0;
    for (std::size_t i = 0; i < ref.size(); ++i) {
        if (ref[i] <= -80.0f) continue;
        worst = std::max(worst, double(std::abs(ours[i] - ref[i])));
        ++compared;
    }
    EXPECT_GT(compared, ref.size() / 2);
    EXPECT_LT(worst, 0.01) << "max |dB difference| over " << compared << " values";
    std::printf("[ numpy ] log-mel sr %d nFft %d hop %d mels %d htk %d norm %d: max |diff| %.5f dB over %zu values\n",
                c.sr, c.nFft, c.hop, c.nMels, int(c.htk), int(c.norm), worst, compared);
}
}  // namespace

TEST(LogMelReference, SlaneyAreaNormAgreesWithNumpyWithinHundredthDb) {
    compareWithNumpy({22050, 1024, 512, 80, 0, 0, false, true});
}
TEST(LogMelReference, HtkUnnormalisedWithBandLimitsAgreesWithNumpy) {
    compareWithNumpy({16000, 512, 160, 40, 60, 7000, true, false});
}
TEST(LogMelReference, TutorialMtatSettingsAgreeWithNumpy) {
    compareWithNumpy({16000, 2048, 1024, 80, 0, 0, false, true});
}
