// A training step allocates the activations and gradients the step before it freed. The model runtime keeps
// libtorch's large CPU blocks for reuse while a run trains (core/ml/torch/CpuBufferCache.h), instead of giving them
// back to the kernel and faulting them in again every step. After the last run ends, it keeps nothing.
#include "Synthetic.h"

#include "core/ml/ProcessSetup.h"
#include "core/ml/Trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <latch>
#include <thread>
#include <vector>

using namespace sonolab;
using namespace sonolab::ml;

namespace {

// A dense network 2,048 wide on batches of 128: every activation and its gradient is a 1 MiB block, the size from
// which the cache keeps blocks.
TrainingConfig wideConfig(int epochs) {
    TrainingConfig config;
    config.epochs = epochs;
    config.batchSize = 128;
    config.threads = 1;
    config.device = DeviceKind::Cpu;
    return config;
}
const ModelSpec kWide = ModelSpec::parse("dense:hidden=2048");

}  // namespace

TEST(CpuBufferCache, ATrainingRunReusesItsLargeBlocksAndKeepsNoneAfterwards) {
    Dataset data = ml::test::syntheticDataset("binary:x", 512, 8, 8, 11u);
    const CpuBufferCacheStats before = cpuBufferCacheStats();
    Trainer trainer(kWide, wideConfig(3), data);
    const TrainingResult result = trainer.run();
    ASSERT_EQ(result.state, TrainingState::Finished) << result.message;
    const CpuBufferCacheStats after = cpuBufferCacheStats();

    const std::size_t reused = after.reused - before.reused;
    const std::size_t fresh = after.allocated - before.allocated;
    // 12 steps: the first one's blocks come from the system, the later ones' from the blocks freed before them.
    EXPECT_GT(reused, 0u);
    EXPECT_GT(reused, 4 * fresh) << "reused " << reused << ", from the system " << fresh;
    EXPECT_EQ(after.idleBytes, 0u) << "the run ended, so the cache gives its blocks back";
    EXPECT_TRUE(std::isfinite(result.history.back().trainLoss));
}

// The app can train while another run trains (a dashboard run and an onset run): the first to end must not empty the
// cache under the other, and once both have ended nothing is kept.
TEST(CpuBufferCache, OverlappingRunsKeepTheCacheUntilTheLastEnds) {
    struct WaitForTheOther : TrainingObserver {
        std::latch* firstEnded = nullptr;
        std::size_t idleWhileAlone = 0;
        void onEpoch(const EpochReport& r) override {
            if (r.epoch != 1) return;
            firstEnded->wait();
            idleWhileAlone = cpuBufferCacheStats().idleBytes;
        }
    };
    std::latch firstEnded(1);
    WaitForTheOther observer;
    observer.firstEnded = &firstEnded;
    TrainingResult first, second;
    {
        std::jthread longRun([&] {
            Dataset data = ml::test::syntheticDataset("binary:x", 512, 8, 8, 12u);
            Trainer trainer(kWide, wideConfig(3), data, nullptr, &observer);
            second = trainer.run();
        });
        std::jthread shortRun([&] {
            Dataset data = ml::test::syntheticDataset("binary:x", 256, 8, 8, 13u);
            Trainer trainer(kWide, wideConfig(1), data);
            first = trainer.run();
            firstEnded.count_down();
        });
    }
    EXPECT_EQ(first.state, TrainingState::Finished) << first.message;
    EXPECT_EQ(second.state, TrainingState::Finished) << second.message;
    // Between two epochs of the run still training, the blocks its last step freed wait for its next step.
    EXPECT_GT(observer.idleWhileAlone, 0u);
    EXPECT_EQ(cpuBufferCacheStats().idleBytes, 0u);
}
