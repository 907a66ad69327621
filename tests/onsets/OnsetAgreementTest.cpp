// The one onset chain (core/onsets) against scripts/reference/madmom_onsets_reference.py, a numpy implementation
// of madmom's published algorithm written apart from the C++ (the spectral flux with madmom's diff_frames rule,
// peak_picking, OnsetPeakPickingProcessor and combine_events), on random signals and random activations with
// parameter sets chosen so that a different order (moving maximum before the threshold) or a different rounding
// (half away from zero instead of Python's half to even, for the lag or a window in frames) gives other numbers.
#include "core/onsets/OnsetFeatures.h"
#include "core/onsets/OnsetPeakPicking.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>
#include <string>

using namespace sonolab;
using namespace sonolab::onsets;

namespace {

std::string reference() { return (test::sourceDir() / "scripts/reference/madmom_onsets_reference.py").string(); }

std::string opt(const char* key, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " %s=%.17g", key, value);
    return buf;
}

std::filesystem::path saveNpy(const std::filesystem::path& path, const std::vector<float>& values) {
    writeNpy(path, values, std::vector<std::size_t>{values.size()});
    return path;
}

// Low noise and a dozen events at random times: decaying noise bursts and tones of random pitch, attack, decay and
// level, so the spectrum and the flux have no structure the parameters could be tuned to.
std::vector<float> randomSignal(unsigned seed, double seconds, int sampleRate) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<double> x(std::size_t(seconds * sampleRate));
    for (auto& v : x) v = 0.003 * g(rng);
    for (int e = 0; e < 12; ++e) {
        const auto start = std::size_t(u(rng) * 0.9 * double(x.size()));
        const double level = 0.05 + 0.55 * u(rng), decay = 0.02 + 0.3 * u(rng), attack = 0.001 + 0.02 * u(rng);
        const double freq = 60.0 * std::pow(80.0, u(rng));
        const bool noise = u(rng) < 0.5;
        for (std::size_t i = start; i < x.size(); ++i) {
            const double t = double(i - start) / sampleRate;
            const double env = level * std::min(1.0, t / attack) * std::exp(-t / decay);
            if (env < 1e-5 && t > attack) break;
            x[i] += env * (noise ? g(rng) : std::sin(2.0 * std::numbers::pi * freq * t));
        }
    }
    return {x.begin(), x.end()};
}

// A detection function of `frames` values: a random floor with bumps of random height and width at random places,
// close enough together that maxima fall inside each other's windows.
std::vector<float> randomActivation(unsigned seed, std::size_t frames, float scale) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    std::vector<float> a(frames);
    for (auto& v : a) v = 0.1f * u(rng);
    for (std::size_t f = 0; f < frames; f += 2 + std::size_t(20 * u(rng))) {
        const float height = 0.1f + 0.9f * u(rng);
        const int width = 1 + int(4 * u(rng));
        for (int k = 0; k < width && f + std::size_t(k) < frames; ++k) a[f + std::size_t(k)] += height / float(1 + k);
    }
    for (auto& v : a) v *= scale;
    return a;
}

}  // namespace

TEST(OnsetAgreement, SpectralFluxAndItsLagMatchMadmomOnRandomSignals) {
    const auto py = test::pythonWithNumpy();
    if (py.empty()) GTEST_SKIP() << "no /usr/bin/python3 with numpy for the madmom reference";
    const auto dir = test::freshDir("onsets-agreement-flux");
    struct Case {
        OnsetSpectrogramParams p;
        const char* why;
    };
    const Case cases[] = {
        {{}, "the tutorial's part 3a (lag 1)"},
        // np.hanning(1000) first exceeds half its peak at sample 250: (500 - 250) / hop 100 = 2.5, which Python
        // rounds to 2 (half to even) where rounding half away from zero gives 3.
        {{.sampleRate = 44100, .fps = 441, .frameSize = 1000, .bandsPerOctave = 6}, "a lag of exactly 2.5 frames"},
        // fmax above Nyquist (madmom maps those frequencies to the last bin), a low ratio: lag 4.
        {{.sampleRate = 22050, .fps = 50, .frameSize = 4096, .bandsPerOctave = 3, .diffRatio = 0.1},
         "22.05 kHz, 3 bands per octave, lag 4"},
        {{.sampleRate = 44100, .fps = 200, .frameSize = 1024, .bandsPerOctave = 24, .fmin = 100, .fmax = 8000,
          .logMul = 5, .logAdd = 0.5f, .diffRatio = 0.25},
         "non-integer hop, 24 bands per octave, other log scaling"},
    };
    unsigned seed = 11;
    for (const auto& c : cases) {
        SCOPED_TRACE(c.why);
        const auto& p = c.p;
        const auto x = randomSignal(seed++, 2.5, p.sampleRate);
        const auto in = saveNpy(dir / "x.npy", x);
        const std::string cmd = py + " " + reference() + " flux " + in.string() + " " + (dir / "flux.npy").string() +
                                opt("sr", p.sampleRate) + opt("fps", p.fps) + opt("frame_size", p.frameSize) +
                                opt("num_bands", p.bandsPerOctave) + opt("fmin", p.fmin) + opt("fmax", p.fmax) +
                                opt("mul", p.logMul) + opt("add", p.logAdd) + opt("diff_ratio", p.diffRatio);
        int status = -1;
        const auto printed = test::capture(cmd, &status);
        ASSERT_EQ(status, 0) << cmd;
        int refLag = -1;
        ASSERT_EQ(std::sscanf(printed.c_str(), "diff_frames %d", &refLag), 1) << printed;
        EXPECT_EQ(differenceFrames(p.frameSize, p.sampleRate / p.fps, p.diffRatio), refLag);

        const auto ref = readNpy(dir / "flux.npy").data;
        const auto flux = spectralFlux(x, p);
        ASSERT_EQ(flux.size(), ref.size());
        const float peak = *std::max_element(ref.begin(), ref.end());
        ASSERT_GT(peak, 0.5f);
        double worst = 0;
        for (std::size_t i = 0; i < flux.size(); ++i) worst = std::max(worst, double(std::abs(flux[i] - ref[i])));
        std::printf("[ madmom ] %-55s lag %d, %zu frames, max |difference| %.2e of peak %.2f\n", c.why, refLag,
                    flux.size(), worst, peak);
        EXPECT_LT(worst, 2e-4 * peak);
    }
}

TEST(OnsetAgreement, PeakPickingInFramesMatchesMadmom) {
    const auto py = test::pythonWithNumpy();
    if (py.empty()) GTEST_SKIP() << "no /usr/bin/python3 with numpy for the madmom reference";
    const auto dir = test::freshDir("onsets-agreement-peaks");
    const PeakPickingParams sets[] = {
        {.threshold = 1.25f, .smooth = 0, .preAvg = 15, .postAvg = 0, .preMax = 1, .postMax = 5},  // part 3a
        {.threshold = 0.3f, .smooth = 5, .preAvg = 3, .postAvg = 2, .preMax = 2, .postMax = 1},
        {.threshold = 0.6f, .smooth = 0, .preAvg = 0, .postAvg = 0, .preMax = 0, .postMax = 0},
        {.threshold = 0.5f, .smooth = 7, .preAvg = 4, .postAvg = 7, .preMax = 3, .postMax = 3},
        {.threshold = 0.2f, .smooth = 4, .preAvg = 10, .postAvg = 1, .preMax = 0, .postMax = 4},
    };
    // A flux of a random signal (the detection function these settings are for) and random activations.
    std::vector<std::vector<float>> activations{spectralFlux(randomSignal(21, 4.0, 44100))};
    for (unsigned seed : {22u, 23u}) activations.push_back(randomActivation(seed, 2000, 3.0f));
    std::size_t orderSensitive = 0;
    for (std::size_t a = 0; a < activations.size(); ++a) {
        const auto in = saveNpy(dir / "act.npy", activations[a]);
        for (const auto& p : sets) {
            SCOPED_TRACE("activation " + std::to_string(a) + opt("threshold", p.threshold) + opt("smooth", p.smooth) +
                         opt("pre_avg", p.preAvg) + opt("post_avg", p.postAvg) + opt("pre_max", p.preMax) +
                         opt("post_max", p.postMax));
            const std::string cmd = py + " " + reference() + " peaks " + in.string() + " " +
                                    (dir / "peaks.npy").string() + opt("threshold", p.threshold) +
                                    opt("smooth", p.smooth) + opt("pre_avg", p.preAvg) + opt("post_avg", p.postAvg) +
                                    opt("pre_max", p.preMax) + opt("post_max", p.postMax);
            ASSERT_EQ(test::run(cmd), 0) << cmd;
            std::vector<int> ref;
            for (float v : readNpy(dir / "peaks.npy").data) ref.push_back(int(v));
            const auto peaks = pickPeaks(activations[a], p);
            ASSERT_GT(ref.size(), 3u);
            EXPECT_EQ(peaks, ref);
            // Peaks that a moving maximum taken before the threshold would drop: a larger value nearby failed the
            // threshold. The test sees the order only where there are such peaks.
            const auto smoothed = smoothActivation(activations[a], p.smooth);
            for (int f : ref) {
                const auto lo = std::size_t(std::max(0, f - p.preMax));
                const auto hi = std::min(smoothed.size(), std::size_t(f + p.postMax + 1));
                if (*std::max_element(smoothed.begin() + std::ptrdiff_t(lo), smoothed.begin() + std::ptrdiff_t(hi)) >
                    smoothed[std::size_t(f)])
                    ++orderSensitive;
            }
        }
    }
    std::printf("[ madmom ] %zu reference peaks had a larger value inside their maximum window\n", orderSensitive);
    EXPECT_GT(orderSensitive, 0u);
}

TEST(OnsetAgreement, OnsetPeakPickingInSecondsMatchesMadmom) {
    const auto py = test::pythonWithNumpy();
    if (py.empty()) GTEST_SKIP() << "no /usr/bin/python3 with numpy for the madmom reference";
    const auto dir = test::freshDir("onsets-agreement-onsets");
    // Windows of exactly 2.5 frames (0.025 s and 0.0125 s at 100 and 200 fps, 0.05 s at 50 fps) round to 2 frames,
    // as numpy's round does; combine merges onsets closer than it to the first of them.
    const OnsetPeakPickingParams sets[] = {
        {},  // the tutorial's part 3b: threshold 0.35, smooth 0.07, pre/post max 0.01, combine 0.03
        {.fps = 100, .threshold = 0.04f, .smooth = 0.025, .preAvg = 0.1, .postAvg = 0.03, .preMax = 0.035,
         .postMax = 0.02, .combine = 0.05, .delay = 0.01},
        {.fps = 50, .threshold = 0.1f, .smooth = 0.0, .preAvg = 0.3, .postAvg = 0.0, .preMax = 0.05, .postMax = 0.1,
         .combine = 0.0},
        {.fps = 200, .threshold = 0.3f, .smooth = 0.1, .preAvg = 0.0, .postAvg = 0.0, .preMax = 0.0125,
         .postMax = 0.0125, .combine = 0.03, .delay = -0.005},
    };
    unsigned seed = 31;
    for (const auto& p : sets) {
        const auto act = randomActivation(seed++, 3000, 1.0f);
        const auto in = saveNpy(dir / "act.npy", act);
        const std::string options = opt("fps", p.fps) + opt("threshold", p.threshold) + opt("smooth", p.smooth) +
                                    opt("pre_avg", p.preAvg) + opt("post_avg", p.postAvg) + opt("pre_max", p.preMax) +
                                    opt("post_max", p.postMax) + opt("combine", p.combine) + opt("delay", p.delay);
        SCOPED_TRACE(options);
        const std::string cmd = py + " " + reference() + " onsets " + in.string() + " " +
                                (dir / "onsets.npy").string() + options;
        ASSERT_EQ(test::run(cmd), 0) << cmd;
        const auto ref = readNpy(dir / "onsets.npy").data;
        const auto onsets = pickOnsets(act, p);
        ASSERT_GT(ref.size(), 3u);
        ASSERT_EQ(onsets.size(), ref.size());
        for (std::size_t i = 0; i < ref.size(); ++i) EXPECT_NEAR(onsets[i], ref[i], 1e-5) << "onset " << i;
    }
}
