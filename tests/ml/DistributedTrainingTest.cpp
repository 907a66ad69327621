// Data-parallel training through the real user path: several `sonolab-cli train` processes on loopback, each told
// its rank by the environment as torchrun sets it (or started by torchrun itself when it is installed). The single
// process with the whole batch is the reference: 2 ranks with half the batch each must follow it step for step.
#include "ml/Synthetic.h"
#include "support/TestSupport.h"

#include "core/ml/DatasetFolder.h"
#include "core/ml/DistributedConfig.h"
#include "core/ml/TrainingHistory.h"
#include "core/util/Error.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace t = sonolab::test;
using namespace sonolab::ml;

namespace {

std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

std::string readText(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// 64 training examples (two steps of 32 per epoch) and an odd-sized validation split, so the ranks' validation
// shards differ in size and the gathered figures must still be those of the whole split.
std::filesystem::path writeData(const std::filesystem::path& dir) {
    const Dataset train = test::syntheticDataset("single:a,b", 64, 16, 16, 3);
    const Dataset validation = test::syntheticDataset("single:a,b", 15, 16, 16, 4);
    DatasetFolderInfo info{.name = "ddp", .task = sonolab::TaskSpec::parse("single:a,b"), .featureSpec = "synthetic"};
    writeDatasetFolder(dir / "data", info, {{"train", &train}, {"validation", &validation}});
    return dir / "data";
}

std::string trainCommand(const std::filesystem::path& data, const std::filesystem::path& out, const std::string& model,
                         int batch, const std::string& extra) {
    return q(t::cliPath()) + " train --data " + q(data) + " --model '" + model + "' --out " + q(out) +
           " --batch-size " + std::to_string(batch) + " --threads 1 --quiet --json " + extra;
}

// Starts `command` once per rank with the launcher's environment; returns each rank's exit status. Rank r's stdout
// and stderr go to dir/rank<r>.out and .err. `timeout` keeps a hang from hanging the test.
std::vector<int> runRanks(const std::filesystem::path& dir, const std::string& command, int ranks) {
    const int port = freeLoopbackPort();
    std::string script;
    for (int r = 0; r < ranks; ++r) {
        const std::string rank = std::to_string(r);
        script += "env RANK=" + rank + " WORLD_SIZE=" + std::to_string(ranks) + " LOCAL_RANK=" + rank +
                  " LOCAL_WORLD_SIZE=" + std::to_string(ranks) + " MASTER_ADDR=127.0.0.1 MASTER_PORT=" +
                  std::to_string(port) + " timeout 120 " + command + " > " + q(dir / ("rank" + rank + ".out")) +
                  " 2> " + q(dir / ("rank" + rank + ".err")) + " & p" + rank + "=$!\n";
    }
    for (int r = 0; r < ranks; ++r) script += "wait $p" + std::to_string(r) + "; echo $?\n";
    std::ofstream(dir / "ranks.sh") << script;
    std::istringstream statuses(t::capture("bash " + q(dir / "ranks.sh")));
    std::vector<int> out;
    for (int s; statuses >> s;) out.push_back(s);
    return out;
}

// The per-step losses `--step-log` wrote: one "step,epoch,batch,loss" line per optimiser step.
std::vector<double> stepLosses(const std::filesystem::path& file) {
    std::vector<double> losses;
    std::istringstream in(readText(file));
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) losses.push_back(std::stod(line.substr(line.rfind(',') + 1)));
    return losses;
}

std::vector<EpochReport> curves(const std::filesystem::path& run) {
    return readHistoryCsv(readText(run / "curves.csv"), (run / "curves.csv").string());
}

}  // namespace

// Without batch norm (and without dropout) the job is one computation split in two: same losses within 1e-5.
TEST(DistributedTraining, TwoRanksWithHalfBatchesFollowOneProcessStepForStep) {
    const auto dir = t::freshDir("ddp-equivalence");
    const auto data = writeData(dir);
    const std::string model = "tutorial_cnn:filters=4,hidden=16,dropout=0";
    ASSERT_EQ(t::run(trainCommand(data, dir / "single", model, 32, "--epochs 10 --step-log " + q(dir / "single.csv")) +
                     " > /dev/null"),
              0);
    const auto statuses = runRanks(dir, trainCommand(data, dir / "ddp", model, 16,
                                                     "--epochs 10 --step-log " + q(dir / "ddp.csv")), 2);
    ASSERT_EQ(statuses, (std::vector<int>{0, 0})) << readText(dir / "rank0.err") << readText(dir / "rank1.err");

    const auto single = stepLosses(dir / "single.csv");
    const auto ddp = stepLosses(dir / "ddp.csv");
    ASSERT_EQ(single.size(), 20u);
    ASSERT_EQ(ddp.size(), 20u);
    double worst = 0;
    for (std::size_t s = 0; s < single.size(); ++s) {
        const double relative = std::abs(ddp[s] - single[s]) / std::abs(single[s]);
        worst = std::max(worst, relative);
        EXPECT_LT(relative, 1e-5) << "step " << s << ": " << single[s] << " vs " << ddp[s];
    }
    std::printf("[ equivalence ] 20 steps, worst relative loss difference %.3g (first %.6f, last %.6f)\n", worst,
                single.front(), single.back());
    EXPECT_LT(single.back(), single.front());  // it learned: the comparison is not of two flat lines

    // Validation figures are gathered over the whole (odd-sized) split: the same as one process's.
    const auto a = curves(dir / "single"), b = curves(dir / "ddp");
    ASSERT_EQ(a.size(), 10u);
    ASSERT_EQ(b.size(), 10u);
    for (std::size_t e = 0; e < a.size(); ++e) {
        ASSERT_TRUE(a[e].validationLoss && b[e].validationLoss);
        EXPECT_NEAR(*b[e].validationLoss, *a[e].validationLoss, 1e-5 * std::abs(*a[e].validationLoss)) << e;
        EXPECT_NEAR(b[e].metrics.at("roc_auc"), a[e].metrics.at("roc_auc"), 1e-9) << e;
    }
    // Only rank 0 reports: the other prints nothing on stdout.
    EXPECT_NE(readText(dir / "rank0.out").find("\"state\""), std::string::npos);
    EXPECT_EQ(readText(dir / "rank1.out"), "");
}

// Batch norm per rank: the job is no longer the single process's computation, but it must learn and finish, under
// torchrun itself when it is installed (its agent serves the store), else with the same environment by hand.
TEST(DistributedTraining, BatchNormModelLearnsAndFinishes) {
    const auto dir = t::freshDir("ddp-batchnorm");
    const auto data = writeData(dir);
    const std::string command = trainCommand(data, dir / "run", "compact_cnn:layers=2,filters=8/8,hidden=16,dropout=0",
                                             16, "--epochs 6");
    int status = 0;
    if (t::haveProgram("torchrun")) {
        // Debian's torchrun (PyTorch 1.13) spells its options with underscores (2.x accepts both), and under Python
        // 3.11 its default redirects ("0") fail to parse: -r 2 -t 2 (stderr to its log and the console) avoids that.
        const std::string torchrun = "timeout 180 torchrun --no_python --nproc_per_node 2 -r 2 -t 2 --master_port " +
                                     std::to_string(freeLoopbackPort()) + " " + command;
        const auto output = t::capture(torchrun + " 2> " + q(dir / "torchrun.err"), &status);
        EXPECT_NE(output.find("\"state\": \"finished\""), std::string::npos) << output;
        EXPECT_EQ(status, 0) << readText(dir / "torchrun.err");
    } else {
        std::printf("[ note ] torchrun is not installed: the ranks are started with its environment by hand\n");
        EXPECT_EQ(runRanks(dir, command, 2), (std::vector<int>{0, 0})) << readText(dir / "rank0.err");
    }
    const auto history = curves(dir / "run");
    ASSERT_EQ(history.size(), 6u);
    EXPECT_LT(history.back().trainLoss, history.front().trainLoss);
    EXPECT_TRUE(std::filesystem::exists(dir / "run" / "model.pt"));
}

// A checkpoint is the same whatever the number of ranks that wrote it: one process starts, two continue with
// synchronised batch norm, and the curves keep the first epochs as they were.
TEST(DistributedTraining, ResumesWithAnotherNumberOfRanks) {
    const auto dir = t::freshDir("ddp-resume");
    const auto data = writeData(dir);
    const std::string model = "compact_cnn:layers=2,filters=8/8,hidden=16,dropout=0";
    ASSERT_EQ(t::run(trainCommand(data, dir / "run", model, 32, "--epochs 2") + " > /dev/null"), 0);
    const auto before = curves(dir / "run");
    const auto statuses = runRanks(dir, trainCommand(data, dir / "run", model, 16, "--epochs 4 --resume --sync-bn"), 2);
    ASSERT_EQ(statuses, (std::vector<int>{0, 0})) << readText(dir / "rank0.err") << readText(dir / "rank1.err");
    const auto after = curves(dir / "run");
    ASSERT_EQ(after.size(), 4u);
    for (std::size_t e = 0; e < before.size(); ++e) EXPECT_EQ(after[e].trainLoss, before[e].trainLoss);
}

// A rank that dies, or hangs, must not leave the others waiting: the survivor stops with a message naming itself and
// the cause. A killed rank's sockets close at once; a stopped one (SIGSTOP) answers nothing, and only --dist-timeout
// (10 s here) ends the wait. Returns the survivor's exit status and its seconds from the signal to its exit.
static std::pair<int, double> survivorOf(const std::string& name, const std::string& signal) {
    const auto dir = t::freshDir(name);
    const auto data = writeData(dir);
    const auto port = std::to_string(freeLoopbackPort());
    const std::string command = trainCommand(data, dir / "run", "tutorial_cnn:filters=4,hidden=16", 16,
                                             "--epochs 100000 --dist-timeout 10 --step-log " + q(dir / "steps.csv"));
    const std::string env = "env WORLD_SIZE=2 LOCAL_WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=" + port;
    // Rank 1 gets the signal once training is under way (two steps logged). Rank 0 runs under `timeout` so that a
    // hang fails the test instead of hanging it; $p1 is rank 1's CLI itself (env execs it).
    const std::string script =
        env + " RANK=0 LOCAL_RANK=0 timeout 120 " + command + " > /dev/null 2> " + q(dir / "rank0.err") + " & p0=$!\n" +
        env + " RANK=1 LOCAL_RANK=1 " + command + " > /dev/null 2>&1 & p1=$!\n" +
        "for i in $(seq 600); do [ $(cat " + q(dir / "steps.csv") + " 2>/dev/null | wc -l) -ge 3 ] && break; "
        "sleep 0.1; done\n" +
        "sleep 0.5; kill -" + signal + " $p1; start=$(date +%s%N)\n"
        "wait $p0; status=$?; end=$(date +%s%N)\n"
        "kill -9 $p1 2>/dev/null; wait $p1 2>/dev/null\n"
        "echo $status $(( (end - start) / 1000000 ))\n";
    std::ofstream(dir / "fault.sh") << script;
    std::istringstream result(t::capture("bash " + q(dir / "fault.sh")));
    int status = -1;
    long milliseconds = -1;
    result >> status >> milliseconds;
    const std::string message = readText(dir / "rank0.err");
    std::printf("[ fault ] SIG%s: survivor exited with %d, %.2f s after the signal: %s", signal.c_str(), status,
                double(milliseconds) / 1000.0, message.c_str());
    EXPECT_NE(status, 124) << "the survivor hung until the test's own timeout";
    EXPECT_NE(message.find("rank 0 of 2"), std::string::npos) << message;
    EXPECT_NE(message.find("another rank"), std::string::npos) << message;
    return {status, double(milliseconds) / 1000.0};
}

TEST(DistributedTraining, SurvivorOfAKilledRankStopsWithAMessage) {
    const auto [status, seconds] = survivorOf("ddp-killed", "KILL");
    EXPECT_EQ(status, 2);
    EXPECT_LT(seconds, 60.0);  // a bound against hanging, not a speed figure
}

TEST(DistributedTraining, SurvivorOfAHungRankStopsAfterTheTimeout) {
    const auto [status, seconds] = survivorOf("ddp-hung", "STOP");
    EXPECT_EQ(status, 2);
    EXPECT_GE(seconds, 5.0);   // it did wait for the hung rank (--dist-timeout 10)...
    EXPECT_LT(seconds, 60.0);  // ...and no longer than the timeout allows
}

// The launcher's environment, read without starting anything.
TEST(DistributedConfigTest, ReadsTorchrunAndSlurmVariables) {
    auto from = [](std::map<std::string, std::string> env) {
        return distributedFromEnvironment([env](const char* name) -> const char* {
            auto it = env.find(name);
            return it == env.end() ? nullptr : it->second.c_str();
        });
    };
    EXPECT_FALSE(from({}).enabled());
    const auto torchrun = from({{"RANK", "3"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"}, {"LOCAL_WORLD_SIZE", "2"},
                                {"MASTER_ADDR", "node7"}, {"MASTER_PORT", "29400"},
                                {"TORCHELASTIC_USE_AGENT_STORE", "True"}, {"TORCHELASTIC_RESTART_COUNT", "2"}});
    EXPECT_EQ(torchrun.rank, 3);
    EXPECT_EQ(torchrun.worldSize, 4);
    EXPECT_EQ(torchrun.localRank, 1);
    EXPECT_EQ(torchrun.localWorldSize, 2);
    EXPECT_EQ(torchrun.masterAddr, "node7");
    EXPECT_EQ(torchrun.masterPort, 29400);
    EXPECT_TRUE(torchrun.agentStore);
    EXPECT_EQ(torchrun.storePrefix, "/worker/attempt_2");
    EXPECT_FALSE(torchrun.writes());
    const auto slurm = from({{"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "8"}, {"SLURM_LOCALID", "1"},
                             {"SLURM_NTASKS_PER_NODE", "4"}, {"MASTER_ADDR", "n1"}});
    EXPECT_EQ(slurm.rank, 5);
    EXPECT_EQ(slurm.worldSize, 8);
    EXPECT_EQ(slurm.localRank, 1);
    EXPECT_EQ(slurm.localWorldSize, 4);
    EXPECT_FALSE(slurm.agentStore);
    EXPECT_THROW(from({{"RANK", "2"}, {"WORLD_SIZE", "2"}}), sonolab::Error);
    EXPECT_THROW(from({{"RANK", "x"}, {"WORLD_SIZE", "2"}}), sonolab::Error);
    EXPECT_THROW(from({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "70000"}}), sonolab::Error);
}

// PyTorch's DistributedSampler: pad by repeating the start, then stride by the number of ranks.
TEST(DistributedConfigTest, ShardsLikePyTorchsDistributedSampler) {
    const std::vector<std::size_t> order{7, 3, 9, 1, 5};
    EXPECT_EQ(distributedShard(order, 0, 2), (std::vector<std::size_t>{7, 9, 5}));
    EXPECT_EQ(distributedShard(order, 1, 2), (std::vector<std::size_t>{3, 1, 7}));
    EXPECT_EQ(distributedShard(order, 2, 3), (std::vector<std::size_t>{9, 7}));
    EXPECT_EQ(distributedShard(order, 0, 1), order);
    // More ranks than examples: each still gets one, as the sampler repeats the list.
    EXPECT_EQ(distributedShard({4, 8}, 2, 3), (std::vector<std::size_t>{4}));
}
