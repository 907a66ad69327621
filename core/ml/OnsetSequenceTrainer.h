#pragma once
// Trains an OnsetRnnModel on whole annotated sequences (the tutorial's part 3b): per-frame binary cross-entropy
// over the unpadded frames only, SGD with momentum and element-wise gradient clipping (Keras clipvalue), sequences
// shuffled each epoch and batched by `batchSize` (padded, packed), early stopping on the validation loss with the
// best epoch's weights restored. Reports through TrainingObserver (batches, epochs, state) like ml::Trainer, so
// the training dashboard shows it the same way. Runs on the calling thread; progress.cancel stops it after the
// current batch (state Stopped, best weights kept). No torch types here.
#include "core/ml/OnsetRnnModel.h"
#include "core/ml/TrainingObserver.h"
#include "core/util/Progress.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sonolab::ml {

struct OnsetTrainingConfig {
    double learningRate = 0.01;
    double momentum = 0.9;
    double clipValue = 5.0;   // each gradient element clamped to +-clipValue; 0 = off
    int batchSize = 1;        // sequences per update (the tutorial: 1)
    int epochs = 100;
    int patience = 20;        // epochs without validation-loss improvement before stopping; 0 = off
    std::uint64_t seed = 42;
    int threads = 0;          // intra-op threads of this run, on its own thread; 0 = all cores (ProcessSetup.h)
    bool standardize = true;  // fit per-dim standardisation on the training sequences (stored with the model)
    double explodingLoss = 1e6;
    // Written when not empty: onset-rnn.pt (best epoch by validation loss, else the last) and curves.csv.
    std::filesystem::path runDir;
    // Optional extra validation metrics after each epoch (e.g. onset F-measure from core/onsets).
    std::function<std::map<std::string, double>(const OnsetRnnModel&)> validationMetrics;
    // When validationMetrics reports this key, the best epoch (kept weights, early stopping) is the one that
    // maximises it, e.g. "onset_f": the validation loss can still fall while the activation sinks below the
    // peak-picking threshold. Otherwise the lowest validation loss wins.
    std::string selectMetric;
};

struct OnsetTrainingResult {
    TrainingState state = TrainingState::Idle;
    std::string message;
    int epochsCompleted = 0;
    int bestEpoch = -1;  // 0-based, by validation loss; -1 without validation
    std::vector<EpochReport> history;
};

// `validation` may be empty (then no early stopping). Throws sonolab::Error on empty training data or sequences
// whose dims differ from the model's.
OnsetTrainingResult trainOnsetRnn(OnsetRnnModel& model, const std::vector<OnsetSequence>& train,
                                  const std::vector<OnsetSequence>& validation, const OnsetTrainingConfig& config,
                                  TrainingObserver* observer = nullptr, const Progress* progress = nullptr);

// Mean per-frame binary cross-entropy of the model on sequences (what validation loss reports).
double onsetLoss(const OnsetRnnModel& model, const std::vector<OnsetSequence>& sequences);

}  // namespace sonolab::ml
