// Process-wide settings are made once by main() (ml::configureProcess); a run's `threads` option applies to the
// thread that runs it, for the length of the run. Two runs training at the same time on two threads (a dashboard
// run and another) each see their own count, and each thread has its own count back afterwards.
#include "Synthetic.h"

#include "core/ml/ProcessSetup.h"
#include "core/ml/Trainer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <thread>
#include <utility>
#include <vector>

using namespace sonolab;
using namespace sonolab::ml;

namespace {

// Waits at the first epoch until the other run is there too, then notes the count this run trains with.
struct MeetAndRecord : TrainingObserver {
    std::latch* bothRunning = nullptr;
    int seen = -1;
    void onEpoch(const EpochReport& r) override {
        if (r.epoch != 0) return;
        bothRunning->arrive_and_wait();
        seen = intraOpThreads();
    }
};

struct RunOnThread {
    int before = -1, after = -1;
    TrainingResult result;
};

}  // namespace

TEST(RunThreads, ConcurrentRunsKeepTheirOwnThreadCountAndRestoreIt) {
    std::latch bothRunning(2);
    const int counts[2] = {1, 7};
    MeetAndRecord observers[2];
    RunOnThread runs[2];
    const int mainBefore = intraOpThreads();
    {
        std::vector<std::jthread> threads;
        for (int k = 0; k < 2; ++k)
            threads.emplace_back([&, k] {
                Dataset data = ml::test::syntheticDataset("binary:x", 16, 8, 8, unsigned(5 + k));
                TrainingConfig config;
                config.epochs = 2;
                config.batchSize = 8;
                config.threads = counts[k];
                observers[k].bothRunning = &bothRunning;
                runs[k].before = intraOpThreads();
                Trainer trainer(ModelSpec::parse("dense:hidden=8"), config, data, nullptr, &observers[k]);
                runs[k].result = trainer.run();
                runs[k].after = intraOpThreads();
            });
    }
    for (int k = 0; k < 2; ++k) {
        EXPECT_EQ(runs[k].result.state, TrainingState::Finished) << runs[k].result.message;
        EXPECT_EQ(observers[k].seen, counts[k]) << "run " << k;
        EXPECT_EQ(runs[k].after, runs[k].before) << "run " << k;
    }
    EXPECT_EQ(intraOpThreads(), mainBefore);  // neither run touched the main thread
}

// The dashboard asks for the device from its worker thread before the run starts: the description must give the
// run's own thread count ("all cores" = every core), not whatever that thread's libtorch count happens to be.
TEST(RunThreads, DeviceDescriptionGivesTheRunsThreadCount) {
    Dataset data = ml::test::syntheticDataset("binary:x", 16, 8, 8, 3u);
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    for (const auto& [threads, expected] : std::vector<std::pair<int, int>>{{0, cores}, {3, 3}, {1, 1}}) {
        TrainingConfig config;
        config.epochs = 1;
        config.threads = threads;
        config.device = DeviceKind::Cpu;
        std::string described, afterRun;
        std::jthread([&] {
            Trainer trainer(ModelSpec::parse("dense:hidden=8"), config, data);
            described = trainer.deviceDescription();
            afterRun = trainer.run().device;
        }).join();
        const std::string want = "cpu (" + std::to_string(expected) + (expected == 1 ? " thread)" : " threads)");
        EXPECT_EQ(described, want) << "threads=" << threads;
        EXPECT_EQ(afterRun, want) << "threads=" << threads;
    }
}
