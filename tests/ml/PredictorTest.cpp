#include "Synthetic.h"

#include "core/ml/Predictor.h"
#include "core/ml/Trainer.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

using namespace sonolab::ml;

TEST(Predictor, SlidingWindowsOverAWholeTrackAndEmbeddings) {
    const auto dir = sonolab::test::freshDir("ml-predict");
    auto train = test::syntheticDataset("single:a,b", 40, 12, 20, 3, 2.5f);
    TrainingConfig c;
    c.epochs = 8;
    c.batchSize = 8;
    c.threads = 1;
    c.learningRate = 5e-3;
    c.windowFrames = 10;
    c.runDir = dir;
    Trainer t(ModelSpec::parse("compact_cnn:filters=4/8/8"), c, train);
    ASSERT_EQ(t.run().state, TrainingState::Finished);

    auto p = Predictor::load(dir);
    EXPECT_EQ(p.info().input, (InputShape{12, 10}));
    // A long "track": class b for its first half, class a for the second.
    std::mt19937 rng(4);
    auto b = test::syntheticExample(1, 2, 12, 40, rng, 2.5f);
    auto a = test::syntheticExample(0, 2, 12, 40, rng, 2.5f);
    FeatureMatrix track(12, 80, sonolab::Layout::BinsByFrames);
    for (std::size_t band = 0; band < 12; ++band) {
        std::copy_n(b.row(band).begin(), 40, track.mutableRow(band).begin());
        std::copy_n(a.row(band).begin(), 40, track.mutableRow(band).begin() + 40);
    }
    auto r = p.predict(track, 10);
    ASSERT_EQ(r.windows.size(), 8u);  // 0,10,...,70
    EXPECT_EQ(r.windowStartFrames.back(), 70u);
    EXPECT_GT(r.windows.front()[1], 0.5f);  // b at the start
    EXPECT_GT(r.windows.back()[0], 0.5f);   // a at the end
    float sum = 0;
    for (const auto& w : r.windows) sum += w[0];
    EXPECT_NEAR(r.probabilities[0], sum / 8.0f, 1e-5);
    EXPECT_NEAR(r.probabilities[0] + r.probabilities[1], 1.0f, 1e-5);

    // Default hop is half a window; the end of the track is always covered.
    auto half = p.predict(track);
    EXPECT_EQ(half.hopFrames, 5u);
    EXPECT_EQ(half.windowStartFrames.back() + 10, 80u);

    const auto e = p.embed(track);
    EXPECT_EQ(e.size(), p.embeddingSize());
    EXPECT_EQ(e.size(), 128u);

    EXPECT_THROW(p.predict(FeatureMatrix(5, 10, sonolab::Layout::BinsByFrames)), sonolab::Error);  // 5 bands, not 12
    EXPECT_THROW(p.predict(FeatureMatrix(80, 12, sonolab::Layout::FramesByBins)), sonolab::Error);  // frames x bins
    EXPECT_THROW(Predictor::load(sonolab::test::freshDir("ml-not-a-run")), sonolab::Error);
}
