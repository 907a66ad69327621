#pragma once
// Internal (torch): the trainer behind ml::Trainer. Trainer.cpp runs epochs (also as one rank of a data-parallel job,
// DataParallel.h); TrainerFiles.cpp writes and reads the run folder (checkpoint, saved model, curves).
#include "core/ml/torch/DataParallel.h"
#include "core/ml/torch/TorchBackends.h"
#include "core/ml/torch/TorchSupport.h"

#include <atomic>
#include <condition_variable>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sonolab::ml {

// Thrown inside run() to end it early with a state (stopped, failed) and the message the user sees.
struct StopRun {
    TrainingState state;
    std::string message;
};

class TorchTrainer final : public TrainerBackend {
public:
    ModelSpec spec;
    TrainingConfig config;
    Dataset& train;
    Dataset* validation;
    TrainingObserver* observer;
    const ModelFactory& factory = ModelFactory::all();
    const LossRegistry* losses;

    std::filesystem::path resumeDir;
    std::atomic<bool> stopRequested{false};
    std::atomic<bool> pauseRequested{false};
    mutable std::mutex pauseMutex;
    std::condition_variable pauseChanged;

    torch::Device device{torch::kCPU};
    MemoryLayout layout = MemoryLayout::Contiguous;  // resolved from config.layout
    std::shared_ptr<Network> net;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    torch::Tensor positiveWeights, classWeights;
    const LossFunction* customLoss = nullptr;
    InputShape shape;
    std::size_t outputs = 0;

    // Progress, all of it in the checkpoint.
    int epochsDone = 0;
    std::int64_t step = 0;
    double learningRate = 0;
    double bestLoss = std::numeric_limits<double>::infinity();
    int bestEpoch = -1;
    int epochsSinceBest = 0;
    int plateauCount = 0;
    std::vector<EpochReport> history;

    // Data-parallel training (null for a single process): every rank runs this trainer on its shard of each epoch.
    std::unique_ptr<DataParallel> parallel;

    TorchTrainer(ModelSpec s, TrainingConfig c, Dataset& t, Dataset* v, TrainingObserver* o, const LossRegistry* l);

    void resumeFrom(const std::filesystem::path& runDir) override;
    TrainingResult run() override;
    void requestStop() override;
    void pause() override;
    void resume() override;
    bool paused() const override;
    std::string deviceDescription() const override;
    std::vector<float> flatParameters() const override;
    std::size_t parameterCount() const override;
    MemoryLayout memoryLayout() const override;

    void setState(TrainingState s, const std::string& message) {
        if (observer) observer->onStateChanged(s, message);
    }

    void prepare();
    void buildOptimizer();
    // The checkpoint, once its model, task and optimizer are checked against this run's.
    torch::serialize::InputArchive openCheckpoint(const std::filesystem::path& file, torch::Device on) const;
    void loadCheckpoint(const std::filesystem::path& dir);
    void writeCheckpoint() const;
    void writeModel(const std::string& reason) const;
    double scheduledRate(int epoch) const;
    bool startsFineTuning(int epoch) const;  // LP-FT: the first epoch after the probe epochs
    void startFineTuning(int epoch);
    torch::Tensor outputOf(const torch::Tensor& input);  // forward(), or embed() when training the embedding
    torch::Tensor loss(const torch::Tensor& output, const torch::Tensor& target) const;
    torch::Tensor mixedLoss(const torch::Tensor& output, const torch::Tensor& target) const;  // mixup's soft targets
    torch::Tensor probabilities(const torch::Tensor& output) const;
    void waitWhilePaused();
    double trainEpoch(int epoch, double& samplesPerSecond);
    std::pair<double, std::map<std::string, double>> validate();
    TrainingResult result(TrainingState state, std::string message) const;

    bool writesFiles() const { return !config.runDir.empty() && config.distributed.writes(); }
    // Seeds of the per-rank randomness (dropout, crops, augmentation): rank 0 draws what a single process draws.
    std::uint64_t rankSeed(int epoch, std::uint64_t stream) const {
        return mixSeed(config.seed, std::uint64_t(epoch), stream + 4 * std::uint64_t(config.distributed.rank));
    }
    std::string deviceText() const;
    StopRun stoppedDuring(int epoch) const;
    std::pair<double, std::size_t> agreeOnLoss(double value, std::size_t count, int epoch);
    std::pair<double, std::map<std::string, double>> gatherValidation(
        double lossSum, std::size_t seen, const std::vector<std::vector<float>>& probs,
        const std::vector<std::vector<float>>& targets);
};

}  // namespace sonolab::ml
