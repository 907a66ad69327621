#include "core/ml/TrainingBenchmark.h"

#include "core/ml/ArchitectureCatalog.h"
#include "core/ml/ProcessSetup.h"
#include "core/ml/Trainer.h"
#include "core/util/Error.h"

#include <random>

namespace sonolab::ml {

TrainingBenchmarkResult benchmarkTraining(const ModelSpec& model, const TrainingBenchmarkOptions& o) {
    const InputShape input = o.input.size() ? o.input : architectureInfo(model.architecture).defaultInput;
    std::string labels;
    for (std::size_t k = 0; k < std::max<std::size_t>(o.outputs, 2); ++k) labels += (k ? ",c" : "c") + std::to_string(k);
    Dataset data("random", TaskSpec::parse("single:" + labels));
    std::mt19937 rng(unsigned(o.seed));
    std::normal_distribution<float> normal;
    for (std::size_t i = 0; i < o.examples; ++i) {
        FeatureMatrix m(input.bands, input.frames, Layout::BinsByFrames);
        for (float& v : m.mutableValues()) v = normal(rng);
        std::vector<float> target(std::max<std::size_t>(o.outputs, 2), 0.0f);
        target[i % target.size()] = 1.0f;
        data.add({"r" + std::to_string(i), "", std::move(target)}, std::move(m));
    }
    TrainingConfig config;
    config.epochs = std::max(2, o.epochs);
    config.batchSize = o.batchSize;
    config.threads = o.threads;
    config.optimizer = o.optimizer;
    config.seed = o.seed;
    config.layout = o.layout;
    config.fusedOptimizer = o.fusedOptimizer;
    config.distributed = o.distributed;
    config.standardization = StandardizationMode::None;  // random data is already standard; Python does none either

    struct Timer : TrainingObserver {
        double seconds = 0;
        int timed = 0;
        void onEpoch(const EpochReport& r) override {
            if (r.epoch == 0) return;  // warm-up: allocator, kernels, caches
            seconds += r.seconds;
            ++timed;
        }
    } timer;
    Trainer trainer(model, config, data, nullptr, &timer);
    auto result = trainer.run();
    if (result.state != TrainingState::Finished) throw Error("bench train", result.message);

    TrainingBenchmarkResult r;
    r.model = model.toString();
    r.input = input;
    r.parameters = trainer.parameterCount();
    r.secondsPerEpoch = timer.seconds / std::max(1, timer.timed);
    // A final batch of one is dropped by the trainer (batch norm): count what was trained.
    const std::size_t ranks = std::size_t(o.distributed.worldSize);
    std::size_t perEpoch = (o.examples + ranks - 1) / ranks;  // per rank, as distributedShard() pads
    if (perEpoch > 1 && perEpoch % std::size_t(o.batchSize) == 1) --perEpoch;
    perEpoch *= ranks;
    r.samplesPerSecond = double(perEpoch) / r.secondsPerEpoch;
    r.device = result.device;
    r.threads = resolveThreads(o.threads);
    r.layout = trainer.memoryLayout();
    r.fusedOptimizer = o.fusedOptimizer;
    return r;
}

}  // namespace sonolab::ml
