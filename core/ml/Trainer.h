#pragma once
// Trains a model on a dataset on the calling (worker) thread; other threads may stop, pause and resume it.
//
//   ml::Trainer trainer(ModelSpec::parse("compact_cnn"), config, train, &validation, &observer);
//   TrainingResult r = trainer.run();          // blocks; the model is saved in config.runDir (see SavedModel.h)
//
// Each epoch ends with an atomically written checkpoint (model, optimizer, epoch, curves, best state) in runDir.
// Randomness is derived from (seed, epoch, batch), so a run resumed from a checkpoint gives the same weights as an
// uninterrupted one on CPU. A NaN or exploding loss stops the run (Failed) and leaves the last good checkpoint.
// CUDA is used when libtorch has it and config.device allows, else the CPU.
#include "core/ml/Dataset.h"
#include "core/ml/ModelSpec.h"
#include "core/ml/TrainingConfig.h"
#include "core/ml/TrainingObserver.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace sonolab::ml {

class LossRegistry;
class TrainerBackend;

struct TrainingResult {
    TrainingState state = TrainingState::Idle;
    std::string message;
    int epochsCompleted = 0;   // including those before a resume
    int bestEpoch = -1;        // by validation loss; -1 without validation
    std::vector<EpochReport> history;
    std::map<std::string, double> finalMetrics;  // validation metrics of the kept model
    std::string device;        // "cpu (2 threads)" or "cuda:0 (NVIDIA H100 ...)"
    std::filesystem::path runDir;
};

class Trainer {
public:
    // `validation` may be null; `losses` adds named losses (e.g. siameseLosses()) to the task's own. Every
    // architecture of ArchitectureCatalog.h can be trained. All references must outlive run(). Loads the model
    // runtime (ModelRuntime.h) on first use: throws ModelRuntimeUnavailable when it cannot.
    Trainer(ModelSpec model, TrainingConfig config, Dataset& train, Dataset* validation = nullptr,
            TrainingObserver* observer = nullptr, const LossRegistry* losses = nullptr);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    // Continue a run from runDir's checkpoint (call before run()). Throws sonolab::Error if there is none or it
    // does not match the model/config. The run's remaining epochs then follow config.epochs.
    void resumeFrom(const std::filesystem::path& runDir);
    // True when runDir holds a checkpoint that resumeFrom() can read.
    static bool hasCheckpoint(const std::filesystem::path& runDir);
    static constexpr const char* kCheckpointFile = "checkpoint.pt";

    TrainingResult run();

    // Thread-safe. Stop finishes the current batch, keeps the last epoch's checkpoint and returns Stopped.
    void requestStop();
    // Thread-safe. Blocks the training thread at the next batch boundary until resume() (or requestStop()).
    void pause();
    void resume();
    bool paused() const;

    // Where the model runs, e.g. "cpu (2 threads)".
    std::string deviceDescription() const;
    // All trainable parameters flattened (for tests comparing runs) and their count.
    std::vector<float> flatParameters() const;
    std::size_t parameterCount() const;
    MemoryLayout memoryLayout() const;  // config.layout resolved for this network and device

private:
    std::unique_ptr<TrainerBackend> backend_;
};

}  // namespace sonolab::ml
