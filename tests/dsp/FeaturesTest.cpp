#include "core/dsp/Chroma.h"
#include "core/dsp/Deltas.h"
#include "core/dsp/Mfcc.h"
#include "core/dsp/OnsetStrength.h"
#include "core/dsp/PeakPicking.h"
#include "core/dsp/SpectralDescriptors.h"
#include "core/dsp/Stft.h"
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
    Mfcc mfcc({.nMfcc = 13, .mel = {.sampleRate = sr, .nFft = 1024, .nMels = 40}, .hop = 512});
    Stft stft({.nFft = 1024, .hop = 512});
    MelFilterbank fb({.sampleRate = sr, .nFft = 1024, .nMels = 40});
    auto logmel = fb.apply(stft.power(x));
    powerToDb(logmel.values);
    auto c = mfcc.compute(x);
    ASSERT_EQ(c.frames, logmel.frames);
    ASSERT_EQ(c.bins, 13u);
    const std::size_t f = c.frames / 2;
    double mean = 0;
    for (float v : logmel.frame(f)) mean += v;
    mean /= 40;
    EXPECT_NEAR(c.at(f, 0), mean * std::sqrt(40.0), 1e-3);
    // A sine concentrates energy in one band: the log-mel is far from flat, so higher coefficients are large.
    EXPECT_GT(std::abs(c.at(f, 1)) + std::abs(c.at(f, 2)), 10.0f);
    EXPECT_THROW(Mfcc({.nMfcc = 50, .mel = {.nMels = 40}}), sonolab::Error);
}

TEST(Deltas, SlopeOfALineIsExactIncludingEdges) {
    Spectrogram s;
    s.frames = 30;
    s.bins = 2;
    for (std::size_t f = 0; f < 30; ++f) s.values.push_back(3.0f * f + 1), s.values.push_back(-0.5f * f * f);
    auto d = deltas(s);
    for (std::size_t f = 0; f < 30; ++f) EXPECT_NEAR(d.at(f, 0), 3.0f, 1e-4) << f;
    auto d2 = deltas(s, {.width = 9, .order = 2});
    for (std::size_t f = 0; f < 30; ++f) EXPECT_NEAR(d2.at(f, 1), -1.0f, 1e-3) << f;
    EXPECT_THROW(deltas(s, {.width = 4}), sonolab::Error);
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
    for (std::size_t f = 4; f + 4 < S.frames; ++f) {
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
        auto fr = c.frame(c.frames / 2);
        const int best = int(std::max_element(fr.begin(), fr.end()) - fr.begin());
        EXPECT_EQ(best, midi % 12) << "expected " << names[midi % 12] << " got " << names[best];
        EXPECT_FLOAT_EQ(fr[best], 1.0f);
    }
}

TEST(PeakPicking, FollowsMadmomWindowsOnAHandMadeActivation) {
    std::vector<float> act(60, 0.1f);
    act[10] = 3.0f;
    act[12] = 3.5f;  // inside the post_max window of 10, so 10 is not a peak
    act[30] = 1.2f;  // below average + threshold
    act[45] = 5.0f;
    act[47] = 6.0f;  // 45 is not the maximum of [44, 50]
    auto p = pickPeaks(act);
    EXPECT_EQ(p, (std::vector<std::size_t>{12, 47}));
    PeakPickingParams loose{.threshold = 0.5f, .preMax = 1, .postMax = 1, .preAvg = 2, .postAvg = 2};
    EXPECT_EQ(pickPeaks(act, loose), (std::vector<std::size_t>{10, 12, 30, 45, 47}));
    PeakPickingParams ownAverage{.threshold = 0.01f, .preMax = 1, .postMax = 1, .preAvg = 0, .postAvg = 0};
    EXPECT_TRUE(pickPeaks(act, ownAverage).empty());  // a value never exceeds its own average plus a threshold
    auto times = pickOnsetTimes(act, 100.0);
    ASSERT_EQ(times.size(), 2u);
    EXPECT_DOUBLE_EQ(times[1], 0.47);
}

TEST(OnsetStrength, ClickTrainOnsetsAreFoundWithinOneFrame) {
    const int sr = 44100;
    std::vector<double> truth{0.25, 0.61, 1.0, 1.33, 1.9, 2.2, 2.75};
    auto x = clicks(sr, 3.0, truth);
    OnsetStrength os;
    EXPECT_EQ(os.diffFrames(), 1);
    EXPECT_GT(os.bands(), 60);
    auto flux = os.compute(x);
    EXPECT_EQ(flux.size(), os.frameCount(x.size()));
    auto found = pickOnsetTimes(flux, 100.0);
    ASSERT_EQ(found.size(), truth.size());
    for (std::size_t i = 0; i < truth.size(); ++i) EXPECT_NEAR(found[i], truth[i], 0.0151) << i;
}

TEST(FeaturesReference, MfccDeltasDescriptorsChromaAndOnsetFluxAgreeWithNumpy) {
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

    auto check = [&](const char* name, const std::vector<float>& ours, double tolerance, bool relative) {
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
    Mfcc mfcc({.nMfcc = nMfcc, .mel = {.sampleRate = sr, .nFft = nFft, .nMels = nMels}, .hop = hop});
    auto c = mfcc.compute(x);
    check("mfcc", c.transposed(), 2e-3, false);
    check("delta", deltas(c).transposed(), 1e-3, false);
    check("delta2", deltas(c, {.order = 2}).transposed(), 1e-3, false);
    Stft stft({.nFft = nFft, .hop = hop});
    auto S = stft.magnitude(x);
    SpectralDescriptors d({.sampleRate = sr, .nFft = nFft});
    check("centroid", d.centroid(S), 1e-4, true);
    check("bandwidth", d.bandwidth(S), 1e-4, true);
    check("rolloff", d.rolloff(S), 1e-6, true);
    check("flatness", d.flatness(S), 1e-3, true);
    check("zcr", zeroCrossingRate(x, {.frameLength = 2048, .hop = hop}), 1e-7, false);
    check("rms", rms(x, {.frameLength = 2048, .hop = hop}), 1e-5, true);
    check("chroma", Chroma({.sampleRate = sr, .nFft = nFft}).compute(stft.power(x)).transposed(), 1e-4, false);
    OnsetStrength os;  // the samples taken as 44.1 kHz audio, as the reference does
    auto flux = os.compute(x);
    check("flux", flux, 1e-3, true);
    auto peaks = pickPeaks(flux);
    auto refPeaks = readF32(dir / "peaks.f32");
    ASSERT_EQ(peaks.size(), refPeaks.size());
    for (std::size_t i = 0; i < peaks.size(); ++i) EXPECT_EQ(double(peaks[i]), refPeaks[i]);
}
