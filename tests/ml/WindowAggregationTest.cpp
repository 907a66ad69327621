// The one owner of "windows of a clip -> one output" (ml/WindowAggregation.h): a trained model's per-window outputs
// on a real track, aggregated by the Predictor, against numpy's mean / max / vote over the same windows; and the
// embedding of a track against numpy's mean and max of the embeddings of its windows, each embedded on its own.
#include "Synthetic.h"

#include "core/ml/Ensemble.h"
#include "core/ml/Predictor.h"
#include "core/ml/Trainer.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace sonolab;
using namespace sonolab::ml;
namespace fs = std::filesystem;

namespace {

// A small trained run (3 classes, 12 bands, windows of 10 frames) and a track of 75 frames whose class changes.
struct TrainedRun {
    fs::path dir;
    FeatureMatrix track{12, 75, Layout::BinsByFrames};
    explicit TrainedRun(const std::string& name, std::uint64_t seed = 5) : dir(sonolab::test::freshDir(name)) {
        auto train = ml::test::syntheticDataset("single:a,b,c", 48, 12, 20, 3, 2.5f);
        TrainingConfig c;
        c.epochs = 4;
        c.batchSize = 8;
        c.threads = 1;
        c.seed = seed;
        c.learningRate = 5e-3;
        c.windowFrames = 10;
        c.runDir = dir;
        Trainer t(ModelSpec::parse("compact_cnn:filters=4/8/8"), c, train);
        EXPECT_EQ(t.run().state, TrainingState::Finished);
        std::mt19937 rng(8);
        const int classes[] = {0, 1, 2};
        for (int part = 0; part < 3; ++part) {
            auto m = ml::test::syntheticExample(classes[part], 3, 12, 25, rng, 2.5f);
            for (std::size_t b = 0; b < 12; ++b)
                std::copy_n(m.row(b).begin(), 25, track.mutableRow(b).begin() + 25 * part);
        }
    }
};

std::vector<float> flat(const std::vector<std::vector<float>>& rows) {
    std::vector<float> out;
    for (const auto& r : rows) out.insert(out.end(), r.begin(), r.end());
    return out;
}

void expectNear(const std::vector<float>& a, const std::vector<float>& b, float tolerance, const std::string& what) {
    ASSERT_EQ(a.size(), b.size()) << what;
    for (std::size_t k = 0; k < a.size(); ++k) EXPECT_NEAR(a[k], b[k], tolerance) << what << " [" << k << "]";
}

}  // namespace

TEST(WindowAggregation, PredictionsAndEmbeddingsMatchNumpyOverTheWindows) {
    const auto python = sonolab::test::pythonWithNumpy();
    if (python.empty()) GTEST_SKIP() << "numpy under /usr/bin/python3 is not installed: reference check skipped";
    TrainedRun run("ml-aggregate");
    const auto p = Predictor::load(run.dir);
    const auto mean = p.predict(run.track, 5);
    ASSERT_EQ(mean.windows.size(), 14u);  // starts 0, 5, ..., 65
    // Each window embedded on its own (a 10-frame input is one window): the per-window embeddings numpy aggregates.
    std::vector<std::vector<float>> embeddings;
    for (std::size_t start : mean.windowStartFrames) {
        FeatureMatrix w(12, 10, Layout::BinsByFrames);
        for (std::size_t b = 0; b < 12; ++b) std::copy_n(run.track.row(b).begin() + start, 10, w.mutableRow(b).begin());
        embeddings.push_back(p.embed(w));
    }
    const auto dir = sonolab::test::freshDir("ml-aggregate-numpy");
    const std::size_t pshape[] = {mean.windows.size(), 3}, eshape[] = {embeddings.size(), embeddings[0].size()};
    writeNpy(dir / "p.npy", flat(mean.windows), pshape);
    writeNpy(dir / "e.npy", flat(embeddings), eshape);
    std::ofstream(dir / "reference.py") << R"(
import numpy as np, sys
d = sys.argv[1]
p = np.load(d + "/p.npy").astype(np.float64); e = np.load(d + "/e.npy").astype(np.float64)
vote = np.bincount(p.argmax(axis=1), minlength=p.shape[1]) / p.shape[0]
for name, v in [("mean", p.mean(0)), ("max", p.max(0)), ("vote", vote), ("emean", e.mean(0)), ("emax", e.max(0))]:
    np.save(d + "/" + name + ".npy", v.astype(np.float32))
)";
    ASSERT_EQ(sonolab::test::run(python + " " + (dir / "reference.py").string() + " " + dir.string()), 0);
    auto load = [&](const char* name) { return readNpy(dir / (std::string(name) + ".npy")).data; };
    expectNear(mean.probabilities, load("mean"), 1e-5f, "mean");
    expectNear(p.predict(run.track, 5, WindowAggregation::Max).probabilities, load("max"), 1e-6f, "max");
    expectNear(p.predict(run.track, 5, WindowAggregation::Vote).probabilities, load("vote"), 1e-6f, "vote");
    expectNear(p.embed(run.track, 5), load("emean"), 1e-4f, "embedding mean");
    expectNear(p.embed(run.track, 5, WindowAggregation::Max), load("emax"), 1e-4f, "embedding max");
    // The figures must differ where the windows disagree, or the test could not tell them apart.
    EXPECT_NE(mean.probabilities, p.predict(run.track, 5, WindowAggregation::Max).probabilities);

    // none: the centre crop alone, one window, as validation during training sees it.
    const auto centre = p.predict(run.track, 5, WindowAggregation::Centre);
    ASSERT_EQ(centre.windows.size(), 1u);
    FeatureMatrix crop(12, 10, Layout::BinsByFrames);
    for (std::size_t b = 0; b < 12; ++b) std::copy_n(run.track.row(b).begin() + 32, 10, crop.mutableRow(b).begin());
    expectNear(centre.probabilities, p.predict(crop).probabilities, 1e-6f, "centre crop");
    EXPECT_THROW(p.embed(run.track, 5, WindowAggregation::Vote), sonolab::Error);
}

TEST(WindowAggregation, ParsesItsNamesAndRefusesOthers) {
    for (auto how : {WindowAggregation::Mean, WindowAggregation::Max, WindowAggregation::Vote, WindowAggregation::Centre})
        EXPECT_EQ(parseWindowAggregation(toString(how)), how);
    EXPECT_THROW(parseWindowAggregation("median"), sonolab::Error);
    EXPECT_THROW(aggregateWindows({}, WindowAggregation::Mean, true), sonolab::Error);
    EXPECT_THROW(aggregateWindows({{1, 2}, {1}}, WindowAggregation::Mean, true), sonolab::Error);
    // Multi-label vote: the share of windows at or above 0.5, per output.
    EXPECT_EQ(aggregateWindows({{0.9f, 0.1f}, {0.5f, 0.2f}, {0.2f, 0.7f}, {0.6f, 0.4f}}, WindowAggregation::Vote, false),
              (std::vector<float>{0.75f, 0.25f}));
}

TEST(Ensemble, AveragesItsMembersPredictions) {
    TrainedRun a("ml-ensemble-a", 5), b("ml-ensemble-b", 6);
    const auto pa = Predictor::load(a.dir), pb = Predictor::load(b.dir);
    const auto both = Ensemble::load({a.dir, b.dir});
    for (auto how : {WindowAggregation::Mean, WindowAggregation::Max}) {
        const auto ra = pa.predict(a.track, 0, how), rb = pb.predict(a.track, 0, how), re = both.predict(a.track, 0, how);
        ASSERT_EQ(re.probabilities.size(), 3u);
        for (std::size_t k = 0; k < 3; ++k)
            EXPECT_NEAR(re.probabilities[k], 0.5f * (ra.probabilities[k] + rb.probabilities[k]), 1e-6f);
        ASSERT_EQ(re.windows.size(), ra.windows.size());
        EXPECT_NEAR(re.windows[2][1], 0.5f * (ra.windows[2][1] + rb.windows[2][1]), 1e-6f);
    }
    EXPECT_NE(pa.predict(a.track).probabilities, pb.predict(a.track).probabilities);  // two seeds, two models
    EXPECT_THROW(Ensemble::load({a.dir, sonolab::test::freshDir("ml-ensemble-none")}), sonolab::Error);
}
