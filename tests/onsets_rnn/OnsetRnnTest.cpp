// The recurrent onset detector: a short training run on tiny real data (features of click trains) whose loss
// falls and whose activation then peaks at the onsets; saving and loading keeps its predictions; other cells run.
#include "core/ml/OnsetRnnModel.h"
#include "core/ml/OnsetSequenceTrainer.h"
#include "core/onsets/rnn/OnsetDetector.h"
#include "core/onsets/OnsetEvaluation.h"
#include "core/onsets/OnsetFeatures.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace sonolab;
using namespace sonolab::onsets;

namespace {

// A 2.5 s piece of decaying tones with random onset times; returns samples and writes the times.
std::vector<float> tonePiece(std::mt19937& rng, std::vector<double>& onsets, double seconds = 2.5) {
    const int sr = 44100;
    std::vector<float> x(std::size_t(seconds * sr), 0.0f);
    std::uniform_real_distribution<double> gap(0.15, 0.4), freq(100.0, 2000.0);
    for (double t = gap(rng); t < seconds - 0.2; t += gap(rng)) {
        onsets.push_back(t);
        const double f = freq(rng);
        const auto start = std::size_t(t * sr);
        for (std::size_t i = 0; start + i < x.size(); ++i)
            x[start + i] += 0.3f * float(std::exp(-double(i) / (0.08 * sr)) * std::sin(2 * M_PI * f * double(i) / sr));
    }
    return x;
}

std::vector<ml::OnsetSequence> sequences(int count, std::uint32_t seed, std::vector<std::vector<double>>* times) {
    std::mt19937 rng(seed);
    std::vector<ml::OnsetSequence> out;
    for (int i = 0; i < count; ++i) {
        std::vector<double> onsets;
        // different lengths, so batches need padding and packing
        const auto x = tonePiece(rng, onsets, 1.5 + 0.5 * i);
        auto f = rnnOnsetFeatures(x);
        const std::size_t frames = f.frames(), dims = f.bins();
        out.push_back({"piece" + std::to_string(i), frames, dims, std::move(f).takeValues(),
                       ml::quantizeOnsets(onsets, 100.0, frames)});
        if (times) times->push_back(onsets);
    }
    return out;
}

struct Recorder : ml::TrainingObserver {
    std::vector<ml::EpochReport> epochs;
    int batches = 0;
    std::vector<ml::TrainingState> states;
    void onBatch(const ml::BatchReport&) override { ++batches; }
    void onEpoch(const ml::EpochReport& e) override { epochs.push_back(e); }
    void onStateChanged(ml::TrainingState s, const std::string&) override { states.push_back(s); }
};

}  // namespace

TEST(OnsetRnn, QuantizeOnsetsMarksTheNearestFrame) {
    const auto t = ml::quantizeOnsets({0.014, 0.016, 0.5, 9.0}, 100.0, 60);
    EXPECT_EQ(t.size(), 60u);
    EXPECT_EQ(t[1], 1.0f);
    EXPECT_EQ(t[2], 1.0f);
    EXPECT_EQ(t[50], 1.0f);
    float sum = 0;
    for (float v : t) sum += v;
    EXPECT_EQ(sum, 3.0f);
}

TEST(OnsetRnn, ShortTrainingRunLowersTheLossAndFindsOnsets) {
    std::vector<std::vector<double>> valTimes;
    const auto train = sequences(6, 1, nullptr);
    const auto validation = sequences(2, 2, &valTimes);
    ml::OnsetRnnModel model({.cell = "rnn", .hidden = 25, .layers = 3, .inputDims = 314}, 5);
    // 3 bidirectional layers of 25: (314*25 + 25*25 + 2*25) * 2 + 2 * (50*25 + 25*25 + 2*25) * 2 + 51
    EXPECT_EQ(model.parameterCount(), std::size_t((314 * 25 + 625 + 50) * 2 + 2 * (50 * 25 + 625 + 50) * 2 + 51));
    const auto dir = test::freshDir("onsets-rnn-run");
    Recorder rec;
    const auto result = ml::trainOnsetRnn(model, train, validation,
                                          {.learningRate = 0.01, .batchSize = 2, .epochs = 12, .patience = 0,
                                           .seed = 3, .threads = 1, .runDir = dir},
                                          &rec);
    EXPECT_EQ(result.state, ml::TrainingState::Finished);
    ASSERT_EQ(result.history.size(), 12u);
    ASSERT_EQ(rec.epochs.size(), 12u);
    EXPECT_EQ(rec.batches, 12 * 3);
    const double first = result.history.front().trainLoss, last = result.history.back().trainLoss;
    EXPECT_LT(last, 0.7 * first) << "train loss " << first << " -> " << last;
    ASSERT_TRUE(result.history.back().validationLoss.has_value());
    EXPECT_LT(*result.history[std::size_t(result.bestEpoch)].validationLoss, *result.history.front().validationLoss);
    EXPECT_TRUE(std::filesystem::exists(dir / "onset-rnn.pt"));
    EXPECT_TRUE(std::filesystem::exists(dir / "curves.csv"));

    // The activation is higher on onset frames than elsewhere.
    const auto act = model.predict(validation[0]);
    ASSERT_EQ(act.size(), validation[0].frames);
    double on = 0, off = 0, nOn = 0, nOff = 0;
    for (std::size_t f = 0; f < act.size(); ++f) {
        if (validation[0].targets[f] > 0) on += act[f], ++nOn;
        else off += act[f], ++nOff;
    }
    EXPECT_GT(on / nOn, 2.0 * off / nOff);

    // The saved best model predicts exactly what the trained one does, also through the detector.
    const auto loaded = ml::OnsetRnnModel::load(dir);
    EXPECT_EQ(loaded.config().cell, "rnn");
    EXPECT_EQ(loaded.standardizationMean(), model.standardizationMean());
    const auto again = loaded.predict(validation[0]);
    ASSERT_EQ(again.size(), act.size());
    for (std::size_t f = 0; f < act.size(); ++f) ASSERT_FLOAT_EQ(again[f], act[f]);
    OnsetDetector detector(OnsetMethod::parse("rnn:" + dir.string()));
    const Matrix features(validation[0].features, validation[0].frames, validation[0].dims, Layout::FramesByBins);
    const auto d = detector.detectFromFeatures(features);
    EXPECT_EQ(d.activation, again);
    EXPECT_NEAR(d.threshold, 0.35f, 1e-6f);
}

TEST(OnsetRnn, LstmAndGruCellsTrainAndBadInputIsRejected) {
    const auto train = sequences(2, 4, nullptr);
    for (std::string cell : {"lstm", "gru"}) {
        ml::OnsetRnnModel model({.cell = cell, .hidden = 8, .layers = 2, .inputDims = 314}, 1);
        const auto r = ml::trainOnsetRnn(model, train, {}, {.batchSize = 2, .epochs = 2, .threads = 1});
        EXPECT_EQ(r.state, ml::TrainingState::Finished) << cell;
        EXPECT_EQ(model.predict(train[1]).size(), train[1].frames);
    }
    EXPECT_THROW(ml::OnsetRnnModel({.cell = "transformer"}), Error);
    ml::OnsetRnnModel model({.inputDims = 10});
    EXPECT_THROW(model.predict(train[0]), Error);
    EXPECT_THROW(ml::trainOnsetRnn(model, train, {}, {}), Error);
    EXPECT_THROW(ml::OnsetRnnModel::load(test::freshDir("onsets-no-model")), Error);
}

TEST(OnsetRnn, CancelStopsAndKeepsAUsableModel) {
    const auto train = sequences(2, 6, nullptr);
    ml::OnsetRnnModel model({.hidden = 8, .layers = 1, .inputDims = 314}, 1);
    Progress progress;
    int reports = 0;
    progress.report = [&](double, double, const std::string&) {
        if (++reports == 3) progress.cancel.cancel();
    };
    const auto r = ml::trainOnsetRnn(model, train, {}, {.batchSize = 1, .epochs = 50, .threads = 1}, nullptr, &progress);
    EXPECT_EQ(r.state, ml::TrainingState::Stopped);
    EXPECT_LT(r.epochsCompleted, 50);
    EXPECT_EQ(model.predict(train[0]).size(), train[0].frames);
}

// The fused tanh recurrence computes what libtorch's RNN module does: same activations from the same weights, and
// training with it (batches of different lengths, so the per-sequence reversal of the backward direction and the
// padding matter) reaches the same weights, i.e. its hand-written backward pass gives the module's gradients.
TEST(OnsetRnn, FusedRecurrenceMatchesTheTorchModule) {
    const auto train = sequences(3, 8, nullptr);  // 1.5, 2.0, 2.5 s
    ml::OnsetRnnConfig fusedConfig{.cell = "rnn", .hidden = 6, .layers = 2, .inputDims = 314};
    ml::OnsetRnnConfig moduleConfig = fusedConfig;
    moduleConfig.fusedRecurrence = false;
    ml::OnsetRnnModel fused(fusedConfig, 11), module(moduleConfig, 11);
    ASSERT_EQ(fused.flatParameters(), module.flatParameters());
    fused.fitStandardization(train);
    module.fitStandardization(train);
    const auto a = fused.predict(train[2]), b = module.predict(train[2]);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t f = 0; f < a.size(); ++f) ASSERT_NEAR(a[f], b[f], 1e-5f) << "frame " << f;

    const ml::OnsetTrainingConfig tc{.learningRate = 0.05, .batchSize = 3, .epochs = 3, .patience = 0, .seed = 2, .threads = 1};
    const auto rf = ml::trainOnsetRnn(fused, train, {}, tc);
    const auto rm = ml::trainOnsetRnn(module, train, {}, tc);
    ASSERT_EQ(rf.history.size(), 3u);
    for (std::size_t e = 0; e < 3; ++e) EXPECT_NEAR(rf.history[e].trainLoss, rm.history[e].trainLoss, 1e-4) << "epoch " << e;
    const auto pf = fused.flatParameters(), pm = module.flatParameters();
    ASSERT_EQ(pf.size(), pm.size());
    double maxDiff = 0, maxMoved = 0;
    const ml::OnsetRnnModel start(fusedConfig, 11);
    const auto p0 = start.flatParameters();
    for (std::size_t i = 0; i < pf.size(); ++i) {
        maxDiff = std::max(maxDiff, double(std::abs(pf[i] - pm[i])));
        maxMoved = std::max(maxMoved, double(std::abs(pf[i] - p0[i])));
    }
    EXPECT_GT(maxMoved, 1e-3);        // training changed the weights ...
    EXPECT_LT(maxDiff, 1e-4);         // ... identically on both paths
}

// A training run's folder with one fold-K/ model stands for that model; with several it is refused by name.
TEST(OnsetRnn, RunFolderWithFoldModels) {
    const auto dir = test::freshDir("onsets-fold-models");
    ml::OnsetRnnModel model({.hidden = 3, .layers = 1, .inputDims = 314}, 1);
    std::filesystem::create_directories(dir / "fold-3");
    model.save(dir / "fold-3" / ml::OnsetRnnModel::kFileName);
    EXPECT_EQ(ml::OnsetRnnModel::load(dir).flatParameters(), model.flatParameters());
    std::filesystem::create_directories(dir / "fold-4");
    model.save(dir / "fold-4" / ml::OnsetRnnModel::kFileName);
    try {
        ml::OnsetRnnModel::load(dir);
        FAIL() << "two fold models should be ambiguous";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("fold-3"), std::string::npos) << e.what();
    }
}
