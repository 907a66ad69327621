#pragma once
// Receives what a training run does, on the trainer's (worker) thread: the GUI bridge forwards these as queued
// signals; the CLI prints them. Implementations must return quickly and must not call back into the Trainer
// except for requestStop()/pause()/resume().
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace sonolab::ml {

enum class TrainingState {
    Idle,
    Preparing,  // loading data, fitting standardisation, building the model
    Running,
    Paused,
    Finished,   // all epochs done, or early stopping
    Stopped,    // requestStop(): the last checkpoint can be resumed
    Failed,     // NaN / exploding loss or an error: the message says why; the last good checkpoint is kept
};

std::string_view toString(TrainingState s);

struct BatchReport {
    int epoch = 0;           // 0-based
    int batch = 0;           // 0-based within the epoch
    int batches = 0;         // per epoch
    std::int64_t step = 0;   // global, 0-based, counts every batch since the start of the run (also across resume)
    double loss = 0.0;
    double samplesPerSecond = 0.0;  // over the epoch so far
};

struct EpochReport {
    int epoch = 0;           // 0-based
    int epochs = 0;
    double trainLoss = 0.0;  // mean batch loss
    std::optional<double> validationLoss;
    // Validation metrics (empty without a validation set): accuracy, balanced_accuracy, macro_f1, roc_auc, pr_auc,
    // hamming_loss ... as Metrics.h names them.
    std::map<std::string, double> metrics;
    double learningRate = 0.0;
    double seconds = 0.0;
    double samplesPerSecond = 0.0;
    bool best = false;       // best validation loss so far (the model kept with restoreBest)
};

class TrainingObserver {
public:
    virtual ~TrainingObserver() = default;
    virtual void onBatch(const BatchReport&) {}
    virtual void onEpoch(const EpochReport&) {}
    virtual void onStateChanged(TrainingState, const std::string& /*message*/) {}
};

}  // namespace sonolab::ml
