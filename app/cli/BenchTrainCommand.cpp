// `sonolab-cli bench train`: training samples per second of each architecture on random data of its default input,
// end to end through the trainer. scripts/reference/bench_train_torch.py runs the same in PyTorch and prints ratios.
#include "Commands.h"

#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/TrainingBenchmark.h"
#include "core/util/Error.h"

#include <nlohmann/json.hpp>

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

void runBenchTrain(const BenchTrainOptions& o) {
    nlohmann::json results = nlohmann::json::array();
    std::stringstream list(o.models);
    std::string name;
    if (!o.json)
        std::printf("bench train: %zu examples, batch %d, %d timed epoch(s) after a warm-up\n%-20s%10s%12s%12s%14s\n",
                    o.bench.examples, o.bench.batchSize, o.bench.epochs - 1, "model", "input", "params", "samples/s",
                    "s/epoch");
    while (std::getline(list, name, ',')) {
        if (name.empty()) continue;
        for (const auto& [layout, adam] : variants(o)) {
            auto options = o.bench;
            options.layout = ml::parseLayout(layout);
            options.fusedOptimizer = adam != "libtorch";
            const auto r = ml::benchmarkTraining(ml::ModelSpec::parse(name), options);
            results.push_back({{"model", r.model},
                               {"input", {r.input.bands, r.input.frames}},
                               {"parameters", r.parameters},
                               {"samples_per_second", r.samplesPerSecond},
                               {"seconds_per_epoch", r.secondsPerEpoch},
                               {"device", r.device},
                               {"threads", r.threads},
                               {"layout", std::string(ml::toString(r.layout))},
                               {"adam", r.fusedOptimizer ? "fused" : "libtorch"}});
            if (!o.json) {
                const std::string input = std::to_string(r.input.bands) + "x" + std::to_string(r.input.frames);
                std::printf("%-20s%10s%12zu%12.1f%14.3f   %s, %s, %s adam\n", r.model.c_str(), input.c_str(), r.parameters,
                            r.samplesPerSecond, r.secondsPerEpoch, r.device.c_str(), ml::toString(r.layout).data(),
                            r.fusedOptimizer ? "fused" : "libtorch");
                std::fflush(stdout);
            }
        }
    }
    if (o.json) std::printf("%s\n", nlohmann::json{{"results", results}}.dump(2).c_str());
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
    cmd->footer("Compare with PyTorch: /usr/bin/python3 scripts/reference/bench_train_torch.py --cli PATH/sonolab-cli");
    cmd->callback([o] { runBenchTrain(*o); });
}

}  // namespace sonolab::cli
