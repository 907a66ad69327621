// A run's tuned peak picking (onset-peaks.txt beside onset-rnn.pt): written and read back, found through a training
// run's lone fold-K, applied by the detector to rnn:RUN, ignored on request; runs without it (trained before tuning
// existed) keep the default threshold; a damaged file is refused naming it.
#include "core/ml/OnsetRnnModel.h"
#include "core/onsets/rnn/OnsetDetector.h"
#include "core/onsets/rnn/TunedPeakPickingFile.h"
#include "core/util/Error.h"
#include "support/TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace sonolab;
using namespace sonolab::onsets;
namespace fs = std::filesystem;

namespace {

fs::path savedRun(std::string_view name) {
    const auto dir = test::freshDir(name);
    ml::OnsetRnnModel model({.hidden = 4, .layers = 1, .inputDims = rnnOnsetFeatureDims()}, 7);
    model.save(dir / ml::OnsetRnnModel::kFileName);
    return dir;
}

const std::vector<double> kClicks{0.3, 0.7, 1.1, 1.6};

}  // namespace

TEST(TunedPeaks, WrittenReadAndFoundThroughAFoldFolder) {
    const auto dir = test::freshDir("tuned-peaks-file");
    EXPECT_FALSE(readTunedPeaks(dir).has_value());
    writeTunedPeaks(dir / "fold-3", {.threshold = 0.45f, .smooth = 0.03, .validationF = 0.875});
    EXPECT_FALSE(readTunedPeaks(dir).has_value()) << "no model in fold-3 yet: not a run";
    std::ofstream(dir / "fold-3" / ml::OnsetRnnModel::kFileName) << "x";
    for (const auto& p : {dir, dir / "fold-3", dir / "fold-3" / ml::OnsetRnnModel::kFileName}) {
        const auto t = readTunedPeaks(p);
        ASSERT_TRUE(t.has_value()) << p;
        EXPECT_FLOAT_EQ(t->threshold, 0.45f);
        EXPECT_DOUBLE_EQ(t->smooth, 0.03);
        EXPECT_DOUBLE_EQ(t->validationF, 0.875);
    }
    for (const char* text : {"threshold 0.4\n", "threshold 1.5\nsmooth 0.05\n", "threshold x\nsmooth 0.05\n"}) {
        std::ofstream(dir / "fold-3" / kTunedPeaksFileName) << text;
        try {
            readTunedPeaks(dir);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(kTunedPeaksFileName), std::string::npos) << e.what();
        }
    }
}

TEST(TunedPeaks, TheDetectorPicksPeaksAsTheRunWasTuned) {
    const auto run = savedRun("tuned-peaks-run");
    const auto x = test::clickTrain(kClicks, 2.0, 44100);
    const auto method = OnsetMethod::parse("rnn:" + run.string());
    // A run without onset-peaks.txt (as every run trained before tuning): the default peak picking.
    const auto plain = OnsetDetector(method).detect(x, 44100);
    EXPECT_FLOAT_EQ(plain.threshold, OnsetPeakPickingParams{}.threshold);

    writeTunedPeaks(run, {.threshold = 0.05f, .smooth = 0.0});
    const auto tuned = OnsetDetector(method).detect(x, 44100);
    EXPECT_FLOAT_EQ(tuned.threshold, 0.05f);
    EXPECT_EQ(tuned.activation, plain.activation);
    // The same activation picked with these settings directly: the detector applied both of them.
    OnsetPeakPickingParams p;
    p.threshold = 0.05f;
    p.smooth = 0.0;
    EXPECT_EQ(tuned.times, pickOnsets(tuned.activation, p));

    OnsetDetectorParams ignore;
    ignore.runPeakPicking = false;
    EXPECT_FLOAT_EQ(OnsetDetector(method, ignore).detect(x, 44100).threshold, OnsetPeakPickingParams{}.threshold);

    std::ofstream(run / kTunedPeaksFileName) << "threshold -1\nsmooth 0\n";
    EXPECT_THROW(OnsetDetector{method}, Error);
}
