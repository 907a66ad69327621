#pragma once
// Training throughput of an architecture on random data of its default input, end to end through the Trainer
// (data pipeline, forward, backward, optimizer): what `sonolab-cli bench train` and bench/train.cpp report, and
// what scripts/reference/bench_train_torch.py measures the same way in PyTorch.
#include "core/ml/DistributedConfig.h"
#include "core/ml/ModelSpec.h"
#include "core/ml/TrainingConfig.h"

#include <string>
#include <vector>

namespace sonolab::ml {

struct TrainingBenchmarkOptions {
    std::size_t examples = 256;   // per epoch
    int batchSize = 32;
    int epochs = 3;               // the first is a warm-up and is not timed
    int threads = 0;              // 0 = all cores
    std::size_t outputs = 2;      // single-label classes (softmax + cross-entropy)
    OptimizerKind optimizer = OptimizerKind::Adam;
    std::uint64_t seed = 1;
    InputShape input{};           // {0,0} = the architecture's default input
    MemoryLayout layout = MemoryLayout::Auto;
    bool fusedOptimizer = true;   // Adam: FusedAdam, or libtorch's own (the in-process baseline)
    // As one rank of a data-parallel job: every rank makes the same data and trains its shard; batchSize is per rank
    // and samplesPerSecond counts the whole job's examples (rank 0's epoch time covers everyone's).
    DistributedConfig distributed;
};

struct TrainingBenchmarkResult {
    std::string model;
    InputShape input;
    std::size_t parameters = 0;
    double samplesPerSecond = 0;   // timed epochs only
    double secondsPerEpoch = 0;
    std::string device;
    int threads = 0;
    MemoryLayout layout = MemoryLayout::Contiguous;  // as used
    bool fusedOptimizer = true;
};

TrainingBenchmarkResult benchmarkTraining(const ModelSpec& model, const TrainingBenchmarkOptions& options);

}  // namespace sonolab::ml
