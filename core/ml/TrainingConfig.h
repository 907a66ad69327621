#pragma once
// Everything that decides how a model is trained. Defaults are sensible for the tutorial's CNNs.
#include "core/ml/Dataset.h"
#include "core/ml/DistributedConfig.h"
#include "core/ml/SpectrogramAugmentation.h"
#include "core/ml/Standardization.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace sonolab::ml {

enum class OptimizerKind { Sgd, Adam, Nadam };
enum class ScheduleKind { Constant, Step, Cosine, Plateau };
enum class DeviceKind { Auto, Cpu, Cuda };
// How convolution weights (and so activations) are laid out in memory. ChannelsLast lets oneDNN run the CPU
// convolutions without reordering; Auto is contiguous, which measured as fast or faster here (see TorchSupport.cpp).
enum class MemoryLayout { Auto, Contiguous, ChannelsLast };

struct TrainingConfig {
    OptimizerKind optimizer = OptimizerKind::Adam;
    double learningRate = 1e-3;
    double momentum = 0.9;       // SGD momentum
    bool nesterov = false;       // SGD
    double weightDecay = 0.0;
    double epsilon = 1e-8;       // Adam/Nadam

    ScheduleKind schedule = ScheduleKind::Constant;
    int stepEpochs = 10;         // Step: multiply by gamma every stepEpochs
    double gamma = 0.5;          // Step and Plateau factor
    int plateauPatience = 3;     // Plateau: epochs without validation improvement before lowering
    double minLearningRate = 1e-6;

    int epochs = 10;
    int batchSize = 32;
    std::uint64_t seed = 42;
    int threads = 0;             // intra-op threads of this run, on its own thread; 0 = all cores (ProcessSetup.h)
    int earlyStoppingPatience = 0;  // epochs without validation-loss improvement; 0 = off
    bool restoreBest = true;     // with validation: the saved model is the best epoch's, not the last one
    bool classWeighting = false; // weight outputs inversely to their frequency in the training set
    Augmentation augmentation;   // applied to the training set's crops
    std::size_t windowFrames = 0;  // crop length in frames (0 = whole examples, which must share one shape)
    StandardizationMode standardization = StandardizationMode::PerBand;  // fitted on the training set only
    DeviceKind device = DeviceKind::Auto;
    MemoryLayout layout = MemoryLayout::Auto;
    bool fusedOptimizer = true;     // Adam: one pass per parameter (FusedAdam); false = libtorch's Adam, to compare
    double gradientClipNorm = 0.0;  // 0 = off
    double explodingLoss = 1e6;     // a batch loss above this (or NaN/inf) stops the run
    std::string loss = "auto";      // "auto" = the task's head; else a name in the LossRegistry given to Trainer
    int prefetchBatches = 2;        // batches assembled ahead by the loader thread
    bool deterministic = true;      // CPU: same seed, same result (torch's deterministic algorithms)

    // Folder of the run: checkpoint.pt (each epoch), model files, curves.csv. Empty = no files written.
    std::filesystem::path runDir;
    bool checkpointEachEpoch = true;

    // One rank of a data-parallel job (worldSize > 1): see DistributedConfig.h. The default is a single process.
    DistributedConfig distributed;

    // The recipe for small labelled sets (LearningRateSchedule.h, Mixup.h); 0 = off, as before.
    int warmupEpochs = 0;        // learning rate rises linearly per batch over these epochs; cosine decays after them
    double mixupAlpha = 0.0;     // mixup: batches mixed with lambda ~ Beta(alpha, alpha) (Zhang et al. 2018)

    // Optional, stored with the saved model so prediction can recompute the same features.
    std::string featureSpec;
    std::string datasetName;

    // Self-supervised starting point (ContrastivePretraining.h): the encoder's weights, and the input standardisation
    // it learnt with, from the pretrained run folder initRun (same architecture and input); freezeEncoder keeps them
    // fixed (batch norm and dropout in eval mode) and trains the classifier layer alone: a linear probe.
    std::filesystem::path initRun;
    bool freezeEncoder = false;
    // Probe, then fine-tune (LP-FT, Kumar et al. 2022): with initRun, the encoder stays frozen for the first
    // probeEpochs epochs while the classifier layer fits, then every layer trains. Fine-tuning from a random head
    // sends large gradients through the encoder and distorts the pretrained features; from a fitted head it need not.
    // 0 = off. fineTuneLearningRate is the rate once the encoder trains (0 = learningRate, scheduled as usual).
    int probeEpochs = 0;
    double fineTuneLearningRate = 0.0;
    // Metric learning on a classifier architecture's encoder (`train-siamese --model compact_cnn --loss triplet`): the
    // loss sees net.embed(x) at unit length (the space `run:DIR` searches) instead of the classifier's output, which
    // stays untrained.
    bool trainEmbedding = false;
    // Applied to each training batch after standardisation (SpectrogramAugmentation.h); none by default.
    SpectrogramAugmentation spectrogramAugmentation;
};

std::string_view toString(OptimizerKind k);
std::string_view toString(ScheduleKind k);
std::string_view toString(DeviceKind k);
std::string_view toString(MemoryLayout k);
OptimizerKind parseOptimizer(std::string_view text);  // sgd|adam|nadam
ScheduleKind parseSchedule(std::string_view text);    // constant|step|cosine|plateau
DeviceKind parseDevice(std::string_view text);        // auto|cpu|cuda
MemoryLayout parseLayout(std::string_view text);      // auto|contiguous|channels-last
bool oneDnnAvailable();  // libtorch was built with oneDNN (MKL-DNN) and it is enabled: CPU channels-last pays

}  // namespace sonolab::ml
