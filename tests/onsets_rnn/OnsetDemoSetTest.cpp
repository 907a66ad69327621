// Opt-in experiment on the rendered demo set (scripts/make-onset-demo.sh DIR): both detectors with the tutorial's
// protocol, printing the scores. Runs only with SONOLAB_ONSET_DEMO=DIR (it trains one network per fold, minutes);
// the same numbers come from `sonolab-cli onsets-evaluate --data DIR --method flux|rnn`.
#include "core/onsets/rnn/OnsetExperiments.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

using namespace sonolab;
using namespace sonolab::onsets;

namespace {

void print(const OnsetExperimentResult& r) {
    std::printf("%s: %zu files, %zu folds\n", r.method.c_str(), r.summary.files, r.folds.size());
    std::printf("  sum   F %.3f  P %.3f  R %.3f\n", r.summary.sum.fmeasure(), r.summary.sum.precision(),
                r.summary.sum.recall());
    std::printf("  mean  F %.3f  P %.3f  R %.3f\n", r.summary.meanFmeasure, r.summary.meanPrecision, r.summary.meanRecall);
}

int envInt(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v ? std::atoi(v) : fallback;
}

struct Printer : ml::TrainingObserver {
    void onEpoch(const ml::EpochReport& e) override {
        std::printf("    epoch %d train %.4f val %.4f F %.3f %.1fs\n", e.epoch + 1, e.trainLoss,
                    e.validationLoss.value_or(0.0), e.metrics.count("onset_f") ? e.metrics.at("onset_f") : 0.0, e.seconds);
        std::fflush(stdout);
    }
};

}  // namespace

TEST(OnsetDemoSet, FluxAndCrossValidatedRnn) {
    const char* dir = std::getenv("SONOLAB_ONSET_DEMO");
    if (!dir) GTEST_SKIP() << "set SONOLAB_ONSET_DEMO to a folder made by scripts/make-onset-demo.sh";
    const auto data = loadOnsetDataset(dir);
    if (!std::getenv("SONOLAB_ONSET_SKIP_FLUX")) {
        const auto flux = evaluateMethod(data, OnsetMethod::parse("flux"));
        print(flux);
        EXPECT_GT(flux.summary.sum.fmeasure(), 0.5);
    }

    RnnExperimentConfig config;
    config.training.epochs = envInt("SONOLAB_ONSET_EPOCHS", 30);
    config.training.patience = envInt("SONOLAB_ONSET_PATIENCE", 8);
    config.training.batchSize = envInt("SONOLAB_ONSET_BATCH", 4);
    config.training.learningRate = envInt("SONOLAB_ONSET_LR_MILLI", 10) / 1000.0;
    config.maxFolds = std::size_t(envInt("SONOLAB_ONSET_MAX_FOLDS", 0));
    // One intra-op thread: the 25-unit recurrences are too small to split, and spinning pool threads on a busy
    // machine slowed an epoch down many times over.
    config.training.threads = envInt("SONOLAB_ONSET_THREADS", 1);
    config.featureCache = std::filesystem::path(dir) / ".sonolab-cache" / "onsets";
    config.onFold = [](std::size_t k, std::size_t n) { std::printf("  fold %zu/%zu\n", k + 1, n); };
    Printer printer;
    const auto rnn = crossValidateRnn(data, config, &printer);
    print(rnn);
    for (std::size_t k = 0; k < rnn.folds.size(); ++k)
        std::printf("  fold %zu F %.3f (sum) %.3f (mean)\n", k, rnn.folds[k].sum.fmeasure(), rnn.folds[k].meanFmeasure);
    EXPECT_GT(rnn.summary.sum.fmeasure(), 0.5);
}
