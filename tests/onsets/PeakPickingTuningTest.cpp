// Peak picking chosen on validation data: on activations whose true onsets peak higher than spurious bumps, the
// tuned threshold separates them where the fixed default (0.35) does not; what it reports is what its choice scores.
#include "core/onsets/OnsetEvaluation.h"
#include "core/onsets/PeakPickingTuning.h"
#include "core/util/Error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace sonolab;
using namespace sonolab::onsets;

namespace {

void bump(std::vector<float>& a, int frame, float height) {
    for (int k = -3; k <= 3; ++k)
        if (frame + k >= 0 && frame + k < int(a.size()))
            a[std::size_t(frame + k)] = std::max(a[std::size_t(frame + k)], height * float(std::exp(-0.5 * k * k)));
}

struct Validation {
    std::vector<std::vector<float>> activations;
    std::vector<std::vector<double>> annotations;
};

// Onsets every 20-40 frames peaking at 0.6-0.9; between some of them spurious bumps of 0.38-0.43.
Validation makeValidation(std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> gap(20, 40);
    std::uniform_real_distribution<float> high(0.6f, 0.9f), low(0.38f, 0.43f);
    Validation v;
    for (int file = 0; file < 3; ++file) {
        std::vector<float> a(600, 0.02f);
        std::vector<double> onsets;
        for (int f = 15; f < 580; f += gap(rng)) {
            bump(a, f, high(rng));
            onsets.push_back(f / 100.0);
            if (f + 12 < 590 && rng() % 2) bump(a, f + 12, low(rng));
        }
        v.activations.push_back(std::move(a));
        v.annotations.push_back(std::move(onsets));
    }
    return v;
}

OnsetCounts score(const Validation& v, const OnsetPeakPickingParams& p) {
    OnsetCounts sum;
    for (std::size_t i = 0; i < v.activations.size(); ++i) sum += evaluateOnsets(pickOnsets(v.activations[i], p), v.annotations[i]);
    return sum;
}

}  // namespace

TEST(PeakPickingTuning, ChoosesAThresholdBetweenSpuriousAndTrueOnsets) {
    const auto v = makeValidation(3);
    const OnsetPeakPickingParams base{.smooth = 0.0};
    const auto fixed = score(v, base);
    EXPECT_GT(fixed.falsePositives, 5u) << "the default threshold should take the spurious bumps";

    const auto tuned = tunePeakPicking(v.activations, v.annotations, base, {}, {.smooths = {0.0}});
    EXPECT_GT(tuned.params.threshold, 0.43f);
    EXPECT_LE(tuned.params.threshold, 0.6f);
    const auto counts = score(v, tuned.params);
    EXPECT_EQ(counts.falsePositives, 0u);
    EXPECT_EQ(counts.falseNegatives, 0u);
    EXPECT_DOUBLE_EQ(tuned.fmeasure, counts.fmeasure());
    EXPECT_DOUBLE_EQ(bestThresholdFmeasure(v.activations, v.annotations, base), 1.0);

    // Over thresholds and smoothings together the choice still scores what it reports, and nothing on the grid
    // scores better.
    const auto both = tunePeakPicking(v.activations, v.annotations);
    EXPECT_DOUBLE_EQ(both.fmeasure, score(v, both.params).fmeasure());
    for (double s : PeakTuningGrid{}.smooths)
        for (float t : PeakTuningGrid{}.thresholds) {
            OnsetPeakPickingParams p;
            p.threshold = t;
            p.smooth = s;
            EXPECT_LE(score(v, p).fmeasure(), both.fmeasure) << "threshold " << t << " smooth " << s;
        }
}

TEST(PeakPickingTuning, BadInput) {
    const auto v = makeValidation(5);
    auto annotations = v.annotations;
    annotations.pop_back();
    EXPECT_THROW(tunePeakPicking(v.activations, annotations), Error);
    EXPECT_THROW(tunePeakPicking(v.activations, v.annotations, {}, {}, {.thresholds = {}}), Error);
}
