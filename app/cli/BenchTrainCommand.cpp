// `sonolab-cli bench train`: training samples per second of each architecture on random data of its default input,
// end to end through the trainer. scripts/reference/bench_train_torch.py runs the same in PyTorch and prints ratios.
// `--procs N` compares data-parallel training on this machine: the same examples and global batch trained by one
// process with N x T threads, then by N processes (ranks, started here as torchrun would) with T threads each.
// Under torchrun the command is itself one rank: `torchrun --no-python --nproc-per-node 2 sonolab-cli bench train`.
#include "Commands.h"

#include "LocalJob.h"

#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/DistributedConfig.h"
#include "core/ml/ProcessSetup.h"
#include "core/ml/TrainingBenchmark.h"
#include "core/util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace sonolab::cli {
namespace {

struct BenchTrainOptions {
    std::string models = "tutorial_cnn,mirex2015,parallel_cnn,compact_cnn,dense,short_chunk_resnet";
    ml::TrainingBenchmarkOptions bench;
    std::vector<std::string> layouts{"auto"};
    std::vector<std::string> adams{"fused"};
    bool json = false;
    int procs = 1;
};

// Every layout with every Adam: one row each, in that order.
std::vector<std::pair<std::string, std::string>> variants(const BenchTrainOptions& o) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& layout : o.layouts)
        for (const auto& adam : o.adams) {
            if (adam != "fused" && adam != "libtorch")
                throw Error("bench train --adam '" + adam + "'", "expected fused or libtorch");
            out.emplace_back(layout, adam);
        }
    return out;
}

nlohmann::json resultJson(const ml::TrainingBenchmarkResult& r) {
    return {{"model", r.model},
            {"input", {r.input.bands, r.input.frames}},
            {"parameters", r.parameters},
            {"samples_per_second", r.samplesPerSecond},
            {"seconds_per_epoch", r.secondsPerEpoch},
            {"device", r.device},
            {"threads", r.threads},
            {"layout", std::string(ml::toString(r.layout))},
            {"adam", r.fusedOptimizer ? "fused" : "libtorch"}};
}

// One model as `procs` ranks of a local job, each with `threads` threads and its share of the batch: the samples/s
// of the whole job, as its rank 0 measured it.
double runRanks(const BenchTrainOptions& o, const std::string& model, int threads) {
    const std::vector<std::string> args{"bench", "train", "--models", model, "--examples", std::to_string(o.bench.examples),
                                        "--batch-size", std::to_string(o.bench.batchSize / o.procs), "--epochs",
                                        std::to_string(o.bench.epochs), "--threads", std::to_string(threads),
                                        "--outputs", std::to_string(o.bench.outputs), "--layout", o.layouts.front(),
                                        "--adam", o.adams.front(), "--json"};
    const auto job = runLocalJob(args, o.procs);
    for (std::size_t r = 0; r < job.statuses.size(); ++r)
        if (job.statuses[r] != 0)
            throw Error("bench train --procs", "rank " + std::to_string(r) + " failed (exit status " +
                                                   std::to_string(job.statuses[r]) + ")");
    try {
        return nlohmann::json::parse(job.rank0Output).at("results").at(0).at("samples_per_second").get<double>();
    } catch (const std::exception& e) {
        throw Error("bench train --procs", std::string("rank 0 reported nothing readable: ") + e.what());
    }
}

// 1 process x (procs x T threads) against procs processes x T threads, same examples, same global batch.
void runBenchProcs(const BenchTrainOptions& o) {
    if (o.bench.batchSize % o.procs != 0)
        throw Error("bench train --procs", "the batch size (" + std::to_string(o.bench.batchSize) +
                                               ") must divide among " + std::to_string(o.procs) + " processes");
    if (o.layouts.size() != 1 || o.adams.size() != 1)
        throw Error("bench train --procs", "give one --layout and one --adam");
    const int threads = o.bench.threads > 0 ? o.bench.threads : std::max(1, ml::resolveThreads(0) / o.procs);
    nlohmann::json results = nlohmann::json::array();
    if (!o.json)
        std::printf("bench train --procs %d: %zu examples, global batch %d, %d timed epoch(s)\n%-20s%22s%22s%8s\n",
                    o.procs, o.bench.examples, o.bench.batchSize, o.bench.epochs - 1, "model",
                    ("1 proc x " + std::to_string(o.procs * threads) + " thr").c_str(),
                    (std::to_string(o.procs) + " procs x " + std::to_string(threads) + " thr").c_str(), "ratio");
    std::stringstream list(o.models);
    for (std::string name; std::getline(list, name, ',');) {
        if (name.empty()) continue;
        auto single = o.bench;
        single.threads = o.procs * threads;
        single.layout = ml::parseLayout(o.layouts.front());
        single.fusedOptimizer = o.adams.front() != "libtorch";
        const auto baseline = ml::benchmarkTraining(ml::ModelSpec::parse(name), single);
        const double parallel = runRanks(o, name, threads);
        const double ratio = parallel / baseline.samplesPerSecond;
        results.push_back({{"model", baseline.model},
                           {"single_process", {{"threads", single.threads}, {"samples_per_second", baseline.samplesPerSecond}}},
                           {"ranks", {{"processes", o.procs}, {"threads", threads}, {"samples_per_second", parallel}}},
                           {"ratio", ratio}});
        if (!o.json) {
            std::printf("%-20s%18.1f s/s%18.1f s/s%8.2f\n", baseline.model.c_str(), baseline.samplesPerSecond, parallel,
                        ratio);
            std::fflush(stdout);
        }
    }
    if (o.json) std::printf("%s\n", nlohmann::json{{"results", results}}.dump(2).c_str());
}

void runBenchTrain(BenchTrainOptions o) {
    if (o.procs > 1) return runBenchProcs(o);
    o.bench.distributed = ml::distributedFromEnvironment();  // one rank of a job (runBenchProcs, torchrun)
    const bool reports = o.bench.distributed.writes();
    if (!reports) o.json = true;  // a job's other ranks print nothing (below)
    nlohmann::json results = nlohmann::json::array();
    std::stringstream list(o.models);
    std::string name;
    if (!o.json)
        std::printf("bench train: %zu examples, batch %d, %d timed epoch(s) after a warm-up\n%-20s%10s%12s%12s%14s\n",
                    o.bench.examples, o.bench.batchSize, std::max(2, o.bench.epochs) - 1, "model", "input", "params", "samples/s",
                    "s/epoch");
    while (std::getline(list, name, ',')) {
        if (name.empty()) continue;
        for (const auto& [layout, adam] : variants(o)) {
            auto options = o.bench;
            options.layout = ml::parseLayout(layout);
            options.fusedOptimizer = adam != "libtorch";
            const auto r = ml::benchmarkTraining(ml::ModelSpec::parse(name), options);
            results.push_back(resultJson(r));
            if (!o.json) {
                const std::string input = std::to_string(r.input.bands) + "x" + std::to_string(r.input.frames);
                std::printf("%-20s%10s%12zu%12.1f%14.3f   %s, %s, %s adam\n", r.model.c_str(), input.c_str(), r.parameters,
                            r.samplesPerSecond, r.secondsPerEpoch, r.device.c_str(), ml::toString(r.layout).data(),
                            r.fusedOptimizer ? "fused" : "libtorch");
                std::fflush(stdout);
            }
        }
    }
    if (o.json && reports) std::printf("%s\n", nlohmann::json{{"results", results}}.dump(2).c_str());
}

}  // namespace

void addBenchTrainCommand(CLI::App& app) {
    auto o = std::make_shared<BenchTrainOptions>();
    auto* cmd = benchGroup(app)->add_subcommand("train", "Training samples/s per model (random data, default inputs)");
    cmd->add_option("--models", o->models, "Comma-separated architectures")->capture_default_str();
    cmd->add_option("--examples", o->bench.examples, "Examples per epoch")->capture_default_str();
    cmd->add_option("--batch-size", o->bench.batchSize, "Batch size")->capture_default_str();
    cmd->add_option("--epochs", o->bench.epochs, "Epochs (the first is a warm-up)")->capture_default_str();
    cmd->add_option("--threads", o->bench.threads, "Intra-op threads (0 = all cores)")->capture_default_str();
    cmd->add_option("--outputs", o->bench.outputs, "Classes")->capture_default_str();
    cmd->add_option("--layout", o->layouts,
                    "Weight memory layouts, one row each: auto, contiguous, channels-last (comma-separated)")
        ->delimiter(',')
        ->capture_default_str();
    cmd->add_option("--adam", o->adams, "Adam implementations, one row each: fused, libtorch (comma-separated)")
        ->delimiter(',')
        ->capture_default_str();
    cmd->add_flag("--json", o->json, "JSON output");
    cmd->add_option("--procs", o->procs,
                    "Also train as N processes on this machine (T threads each, batch/N each) and compare with one "
                    "process of N x T threads; T = --threads, or cores / N")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    cmd->footer("Compare with PyTorch: /usr/bin/python3 scripts/reference/bench_train_torch.py --cli PATH/sonolab-cli");
    cmd->callback([o] { runBenchTrain(*o); });
}

}  // namespace sonolab::cli
