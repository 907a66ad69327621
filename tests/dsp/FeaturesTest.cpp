#include "core/dsp/Chroma.h"
#include "core/dsp/Mfcc.h"
#include "core/dsp/SpectralDescriptors.h"
#include "core/dsp/Stft.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <random>
#include <span>

using namespace sonolab::dsp;
namespace t = sonolab::test;

namespace {
std::vector<float> clicks(int sr, double seconds, const std::vector<double>& times, unsigned seed = 2) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0, 1);
    std::vector<float> x(static_cast<std::size_t>(sr * seconds));
    for (auto& v : x) v = 0.0005f * g(rng);
    for (double c : times) {
        const auto at = static_cast<std::size_t>(c * sr);
        for (std::size_t i = 0; i < 400 && at + i < x.size(); ++i)
            x[at + i] += 0.7f * g(rng) * std::exp(-float(i) / 80.0f);
    }
    return x;
}

std::vector<float> readF32(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::vector<float> v;
    float x;
    while (f.read(reinterpret_cast<char*>(&x), 4)) v.push_back(x);
    return v;
}
}  // namespace

TEST(Mfcc, DctIsOrthonormalAndFirstCoefficientIsTheScaledMean) {
    auto D = dctMatrix(40, 40);
    for (int i = 0; i < 40; ++i)
        for (int j = 0; j < 40; ++j) {
            double dot = 0;
            for (int n = 0; n < 40; ++n) dot += double(D[i * 40 + n]) * D[j * 40 + n];
            EXPECT_NEAR(dot, i == j ? 1.0 : 0.0, 1e-5);
        }
    const int sr = 22050;
    auto x = t::sine(1000.0, 1.0, sr);
    Mfcc mfcc({.nMfcc = 13, .logMel = {.mel = {.sampleRate = sr, .nFft = 1024, .nMels = 40}, .hop = 512}});
    Stft stft({.nFft = 1024, .hop = 512});
    MelFilterbank fb({.sampleRate = sr, .nFft = 1024, .nMels = 40});
    auto logmel = fb.apply(stft.power(x));
    powerToDb(logmel.mutableValues());
    auto c = mfcc.compute(x);
    ASSERT_EQ(c.frames(), logmel.frames());
    ASSERT_EQ(c.bins(), 13u);
    const std::size_t f = c.frames() / 2;
    double mean = 0;
    for (float v : logmel.row(f)) mean += v;
    mean /= 40;
    EXPECT_NEAR(c.at(f, 0), mean * std::sqrt(40.0), 1e-3);
    // A sine concentrates energy in one band: the log-mel is far from flat, so higher coefficients are large.
    EXPECT_GT(std::abs(c.at(f, 1)) + std::abs(c.at(f, 2)), 10.0f);
    EXPECT_THROW(Mfcc({.nMfcc = 50, .logMel = {.mel = {.nMels = 40}}}), sonolab::Error);
}

TEST(SpectralDescriptors, SineCentroidAndRolloffSitAtItsFrequency) {
    const int sr = 22050;
    auto x = t::sine(sr * 100.0 / 2048, 1.0, sr);  // bin 100
    Stft stft({.nFft = 2048, .hop = 512});
    auto S = stft.magnitude(x);
    SpectralDescriptors d({.sampleRate = sr, .nFft = 2048});
    const float hz = sr * 100.0f / 2048;
    auto c = d.centroid(S);
    auto r = d.rolloff(S);
    auto fl = d.flatness(S);
    for (std::size_t f = 4; f + 4 < S.frames(); ++f) {
        EXPECT_NEAR(c[f], hz, 2.0f);
        EXPECT_NEAR(r[f], hz, sr / 2048.0f * 1.01f);
        EXPECT_LT(fl[f], 1e-3f);
    }
    // White noise is flat; a sine far from it.
    std::mt19937 rng(4);
    std::normal_distribution<float> g(0, 0.1f);
    std::vector<float> noise(sr);
    for (auto& v : noise) v = g(rng);
    auto fn = d.flatness(stft.magnitude(noise));
    EXPECT_GT(fn[fn.size() / 2], 0.3f);
    // ZCR of a sine at f: 2 f / sr crossings per sample; RMS: amplitude / sqrt 2.
    auto z = zeroCrossingRate(x);
    auto e = rms(x);
    EXPECT_NEAR(z[z.size() / 2], 2.0 * hz / sr, 2.0 / 2048);
    EXPECT_NEAR(e[e.size() / 2], 0.5 / std::sqrt(2.0), 1e-3);
}

TEST(Chroma, ASineLightsItsPitchClass) {
    const int sr = 22050;
    Stft stft({.nFft = 4096, .hop = 1024});
    Chroma chroma({.sampleRate = sr, .nFft = 4096});
    const char* names[] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
    for (int midi : {57, 60, 64, 67, 71}) {  // A3 C4 E4 G4 B4
        const double hz = 440.0 * std::pow(2.0, (midi - 69) / 12.0);
        auto c = chroma.compute(stft.power(t::sine(hz, 1.0, sr)));
        auto fr = c.row(c.frames() / 2);
        const int best = int(std::max_element(fr.begin(), fr.end()) - fr.begin());
        EXPECT_EQ(best, midi % 12) << "expected " << names[midi % 12] << " got " << names[best];
        EXPECT_FLOAT_EQ(fr[best], 1.0f);
    }
}

TEST(FeaturesReference, MfccDescriptorsAndChromaAgreeWithNumpy) {
    const auto py = t::pythonWithNumpy();
    if (py.empty()) GTEST_SKIP() << "numpy reference skipped: /usr/bin/python3 cannot import numpy";
    auto dir = t::freshDir("dsp-features-ref");
    const int sr = 22050, nFft = 1024, hop = 256, nMels = 64, nMfcc = 20;
    std::mt19937 rng(8);
    std::normal_distribution<float> g(0, 0.02f);
    auto x = clicks(sr, 2.0, {0.2, 0.7, 1.1, 1.5});
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] += 0.3f * float(std::sin(2 * std::numbers::pi * 330.0 * double(i) / sr)) + g(rng);
    {
        std::ofstream f(dir / "in.f32", std::ios::binary);
        f.write(reinterpret_cast<const char*>(x.data()), std::streamsize(x.size() * 4));
    }
    const auto cmd = py + " " + (t::sourceDir() / "scripts/reference/features_reference.py").string() + " " +
                     (dir / "in.f32").string() + " " + dir.string() + " " + std::to_string(sr) + " " +
                     std::to_string(nFft) + " " + std::to_string(hop) + " " + std::to_string(nMels) + " " +
                     std::to_string(nMfcc);
    ASSERT_EQ(t::run(cmd), 0) << cmd;

    auto check = [&](const char* name, std::span<const float> ours, double tolerance, bool relative) {
        auto ref = readF32(dir / (std::string(name) + ".f32"));
        ASSERT_EQ(ref.size(), ours.size()) << name;
        double worst = 0, scale = 0;
        for (float v : ref) scale = std::max(scale, double(std::abs(v)));
        for (std::size_t i = 0; i < ref.size(); ++i) {
            const double diff = std::abs(double(ours[i]) - ref[i]);
            worst = std::max(worst, relative ? diff / (std::abs(ref[i]) + 1e-6 * scale) : diff);
        }
        std::printf("[ numpy ] %-9s max %s difference %.2e\n", name, relative ? "relative" : "absolute", worst);
        EXPECT_LT(worst, tolerance) << name;
    };
    Mfcc mfcc({.nMfcc = nMfcc, .logMel = {.mel = {.sampleRate = sr, .nFft = nFft, .nMels = nMels}, .hop = hop}});
    auto c = mfcc.compute(x);
    check("mfcc", c.transposed().values(), 2e-3, false);
    Stft stft({.nFft = nFft, .hop = hop});
    auto S = stft.magnitude(x);
    SpectralDescriptors d({.sampleRate = sr, .nFft = nFft});
    check("centroid", d.centroid(S), 1e-4, true);
    check("bandwidth", d.bandwidth(S), 1e-4, true);
    check("rolloff", d.rolloff(S), 1e-6, true);
    check("flatness", d.flatness(S), 1e-3, true);
    check("zcr", zeroCrossingRate(x, {.frameLength = 2048, .hop = hop}), 1e-7, false);
    check("rms", rms(x, {.frameLength = 2048, .hop = hop}), 1e-5, true);
    const auto chroma = Chroma({.sampleRate = sr, .nFft = nFft}).compute(stft.power(x)).transposed();
    check("chroma", chroma.values(), 1e-4, false);
}
