// The pretrainer's objective against numpy: NT-Xent as SimCLR (Chen et al. 2020, eq. 1 and Algorithm 1) defines it,
// written from the paper (cosine similarity / tau, the anchor itself left out of the denominator, l(2k-1, 2k) +
// l(2k, 2k-1) averaged over 2N); and the augmentation list grammar of `pretrain/train --augmentations`.
#include "core/ml/ContrastivePretraining.h"
#include "core/ml/ModelRuntime.h"
#include "core/ml/SpectrogramAugmentation.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

using namespace sonolab;
using namespace sonolab::ml;

namespace {

Matrix randomRows(std::size_t n, std::size_t dim, std::mt19937& rng) {
    Matrix m(n, dim, Layout::FramesByBins);
    std::normal_distribution<float> g(0.0f, 1.0f);
    for (std::size_t i = 0; i < n; ++i)
        for (float& v : m.mutableRow(i)) v = g(rng);
    return m;
}

std::vector<float> flat(const Matrix& m) { return {m.values().begin(), m.values().end()}; }

}  // namespace

TEST(ContrastiveLoss, NtXentAgreesWithNumpyReferenceFromThePaper) {
    std::string why;
    if (!modelRuntimeAvailable(&why)) GTEST_SKIP() << why;
    const auto python = test::pythonWithNumpy();
    if (python.empty()) GTEST_SKIP() << "numpy under /usr/bin/python3 is not installed: reference check skipped";
    const auto dir = test::freshDir("ml-ntxent-numpy");
    std::mt19937 rng(5);
    const std::size_t n = 6, dim = 7;
    Matrix a = randomRows(n, dim, rng), b = randomRows(n, dim, rng);
    // Make pair 0 nearly aligned so one term is far from the others: a sign or pairing error shows.
    for (std::size_t d = 0; d < dim; ++d) b.mutableRow(0)[d] = 3.0f * a.row(0)[d] + 0.01f;
    writeNpy(dir / "a.npy", a);
    writeNpy(dir / "b.npy", b);
    {
        std::ofstream(dir / "reference.py") << R"(
import numpy as np, sys
d, tau = sys.argv[1], float(sys.argv[2])
a = np.load(d + "/a.npy").astype(np.float64); b = np.load(d + "/b.npy").astype(np.float64)
N = a.shape[0]
z = np.empty((2 * N, a.shape[1])); z[0::2] = a; z[1::2] = b   # the paper's order: x_{2k-1}, x_{2k} from example k
def sim(u, v): return u @ v / (np.linalg.norm(u) * np.linalg.norm(v))
def l(i, j):
    den = sum(np.exp(sim(z[i], z[k]) / tau) for k in range(2 * N) if k != i)
    return -np.log(np.exp(sim(z[i], z[j]) / tau) / den)
print(repr(sum(l(2 * k, 2 * k + 1) + l(2 * k + 1, 2 * k) for k in range(N)) / (2 * N)))
)";
    }
    for (const double tau : {0.5, 0.1, 1.0}) {
        int status = 0;
        const std::string out = test::capture(python + " " + (dir / "reference.py").string() + " " + dir.string() + " " +
                                                  std::to_string(tau),
                                              &status);
        ASSERT_EQ(status, 0) << out;
        const double expected = std::stod(out);
        const double got = ntXentLossValue(flat(a), flat(b), dim, tau);
        EXPECT_NEAR(got, expected, 1e-5 * std::max(1.0, expected)) << "tau " << tau;
    }
    // Swapping the positives of two pairs must raise the loss (it is not symmetric in the pairing).
    Matrix swapped = b;
    for (std::size_t d = 0; d < dim; ++d) std::swap(swapped.mutableRow(0)[d], swapped.mutableRow(1)[d]);
    EXPECT_GT(ntXentLossValue(flat(a), flat(swapped), dim, 0.5), ntXentLossValue(flat(a), flat(b), dim, 0.5));
    EXPECT_THROW(ntXentLossValue(flat(a), flat(b), dim + 1, 0.5), Error);
}

TEST(PretrainingSchedule, StepsRaiseTheEpochsOfASmallLibraryOnly) {
    // Steps an epoch: full batches, plus a last one of two tracks or more (a single track has no negatives).
    EXPECT_EQ(pretrainingStepsPerEpoch(206, 64), 4);  // 3 x 64 + 14
    EXPECT_EQ(pretrainingStepsPerEpoch(12, 6), 2);
    EXPECT_EQ(pretrainingStepsPerEpoch(13, 6), 2);    // the 13th track waits for the next shuffle
    EXPECT_EQ(pretrainingStepsPerEpoch(14, 6), 3);
    EXPECT_EQ(pretrainingStepsPerEpoch(65, 64), 1);
    EXPECT_EQ(pretrainingStepsPerEpoch(5, 64), 1);    // a library smaller than a batch is one batch
    EXPECT_EQ(pretrainingStepsPerEpoch(1, 64), 0);

    PretrainingConfig c;
    c.training.batchSize = 64;
    c.training.epochs = 1;
    c.steps = 1000;
    EXPECT_EQ(resolvedEpochs(c, 206), 250);           // the demo collection: 4 steps an epoch
    EXPECT_EQ(resolvedEpochs(c, 10000), 7);           // 157 steps an epoch
    c.training.epochs = 30;
    EXPECT_EQ(resolvedEpochs(c, 10000), 30);          // the epochs asked for already take more steps
    EXPECT_EQ(resolvedEpochs(c, 206), 250);
    c.steps = 0;
    EXPECT_EQ(resolvedEpochs(c, 206), 30);
    c.steps = 1001;
    c.training.epochs = 1;
    EXPECT_EQ(resolvedEpochs(c, 206), 251);           // rounded up to a whole epoch

    // What the CLI and the dashboard say of too few steps, and nothing when there are enough.
    // (The default minimum is 6000 steps.)
    EXPECT_EQ(fewStepsAdvice(20, 64, 206), "20 epochs are only 80 steps on 206 tracks; 1500 epochs (6000 steps) learn a "
                                           "better space");
    EXPECT_EQ(fewStepsAdvice(3, 32, 16), "3 epochs are only 3 steps on 16 tracks; 6000 epochs (6000 steps) learn a "
                                         "better space");
    EXPECT_EQ(fewStepsAdvice(1, 64, 40), "1 epoch is only 1 step on 40 tracks; 6000 epochs (6000 steps) learn a better "
                                         "space");
    EXPECT_NE(fewStepsAdvice(1499, 64, 206), "");
    EXPECT_NE(fewStepsAdvice(38, 64, 10000), "");
    EXPECT_EQ(fewStepsAdvice(1500, 64, 206), "");
    EXPECT_EQ(fewStepsAdvice(39, 64, 10000), "");  // 157 steps an epoch: 6123
    EXPECT_EQ(fewStepsAdvice(30, 64, 1), "");  // one track: nothing to pretrain, nothing to advise
}

TEST(PretrainingPairs, AGroupIsOneUnitAndTracksWithoutOneStandAlone) {
    using Units = std::vector<std::vector<std::size_t>>;
    const std::vector<std::string> groups = {"b", "a", "", "b", "a", "c"};
    // By track, every track is a unit, whatever its group.
    EXPECT_EQ(pairingUnits(6, groups, PairBy::Track), (Units{{0}, {1}, {2}, {3}, {4}, {5}}));
    // By group, in the order groups first appear; the track without a group is a unit of its own.
    EXPECT_EQ(pairingUnits(6, groups, PairBy::Group), (Units{{0, 3}, {1, 4}, {2}, {5}}));
    // A library without groups pairs by track either way.
    EXPECT_EQ(pairingUnits(3, {}, PairBy::Group), (Units{{0}, {1}, {2}}));
    EXPECT_THROW(pairingUnits(5, groups, PairBy::Group), Error);  // groups that do not match the tracks

    EXPECT_EQ(parsePairBy("group"), PairBy::Group);
    EXPECT_EQ(parsePairBy(toString(PairBy::Track)), PairBy::Track);
    EXPECT_THROW(parsePairBy("album"), Error);
    // The advice counts what an epoch goes through: the demo's 85 source tracks are 2 steps of 64.
    EXPECT_EQ(fewStepsAdvice(20, 64, 85, 206), "20 epochs are only 40 steps on 85 groups (206 tracks); 3000 epochs (6000 "
                                              "steps) learn a better space");
    EXPECT_EQ(fewStepsAdvice(20, 64, 206, 206), fewStepsAdvice(20, 64, 206));  // no groups: tracks, as before
}

TEST(SpectrogramAugmentation, ListsParseIntoTheirStrengthsAndBack) {
    EXPECT_FALSE(SpectrogramAugmentation::parse("").any());
    EXPECT_FALSE(SpectrogramAugmentation::parse("none").any());
    const auto a = SpectrogramAugmentation::parse(" gain, tmask ");
    EXPECT_GT(a.gainDb, 0.0f);
    EXPECT_GT(a.timeMasks, 0);
    EXPECT_EQ(a.frequencyMasks, 0);
    EXPECT_EQ(a.mixProbability, 0.0f);
    EXPECT_EQ(a.toString(), "tmask,gain");
    const auto all = SpectrogramAugmentation::parse("all");
    EXPECT_EQ(all.toString(), "tmask,fmask,gain,stretch,shift,mix");
    EXPECT_EQ(SpectrogramAugmentation::parse(all.toString()), all);
    // add(): the union, each at the stronger setting.
    auto both = SpectrogramAugmentation::parse("tmask");
    auto wide = SpectrogramAugmentation::parse("tmask,mix");
    wide.timeMaskFrames = 30;
    both.add(wide);
    EXPECT_EQ(both.toString(), "tmask,mix");
    EXPECT_EQ(both.timeMaskFrames, 30);
    EXPECT_EQ(both.mixProbability, wide.mixProbability);
    both.add(SpectrogramAugmentation::parse("none"));
    EXPECT_EQ(both.toString(), "tmask,mix");
    EXPECT_EQ(SpectrogramAugmentation::fromCropSettings(3.0f, 0, 2), SpectrogramAugmentation::parse("gain,tmask"));
    try {
        SpectrogramAugmentation::parse("gain,reverb");
        FAIL() << "an unknown augmentation was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("reverb"), std::string::npos) << e.what();
    }
}
