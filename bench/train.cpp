// Training throughput per architecture (Google Benchmark; builds in the training-only configuration too).
// The comparison with PyTorch is `sonolab-cli bench train` + scripts/reference/bench_train_torch.py.
#include "core/ml/ProcessSetup.h"
#include "core/ml/TrainingBenchmark.h"

#include <benchmark/benchmark.h>

namespace {

void trainModel(benchmark::State& state, const char* model, std::size_t examples) {
    sonolab::ml::TrainingBenchmarkOptions o;
    o.examples = examples;
    o.epochs = 2;
    o.threads = int(state.range(0));
    double samplesPerSecond = 0;
    for (auto _ : state) {
        const auto r = sonolab::ml::benchmarkTraining(sonolab::ml::ModelSpec::parse(model), o);
        samplesPerSecond = r.samplesPerSecond;
        state.SetIterationTime(r.secondsPerEpoch);
    }
    state.counters["samples_per_second"] = samplesPerSecond;
}

}  // namespace

BENCHMARK_CAPTURE(trainModel, tutorial_cnn, "tutorial_cnn", 128)->Arg(0)->UseManualTime()->Iterations(1);
BENCHMARK_CAPTURE(trainModel, mirex2015, "mirex2015", 128)->Arg(0)->UseManualTime()->Iterations(1);
BENCHMARK_CAPTURE(trainModel, parallel_cnn, "parallel_cnn", 128)->Arg(0)->UseManualTime()->Iterations(1);
BENCHMARK_CAPTURE(trainModel, compact_cnn, "compact_cnn", 128)->Arg(0)->UseManualTime()->Iterations(1);
BENCHMARK_CAPTURE(trainModel, dense, "dense", 1024)->Arg(0)->UseManualTime()->Iterations(1);
BENCHMARK_CAPTURE(trainModel, short_chunk_resnet, "short_chunk_resnet", 32)->Arg(0)->UseManualTime()->Iterations(1);

int main(int argc, char** argv) {
    sonolab::ml::configureProcess();  // as sonolab-cli does, so the timings are the programs' timings
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    return 0;
}
