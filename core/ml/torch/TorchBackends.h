#pragma once
// Inside the model runtime (core/ml/torch): the libtorch implementations behind the handles, one factory each;
// torch/Runtime.cpp gathers them into the ModelRuntime the programs load.
#include "core/ml/ModelRuntime.h"
#include "core/ml/torch/TorchExtension.h"

namespace sonolab::ml {

std::unique_ptr<TrainerBackend> makeTorchTrainer(ModelSpec model, TrainingConfig config, Dataset& train,
                                                 Dataset* validation, TrainingObserver* observer,
                                                 const LossRegistry* losses);
std::unique_ptr<PredictorBackend> loadTorchPredictor(const std::filesystem::path& runDir);
std::unique_ptr<OnsetRnnBackend> loadTorchOnsetRnn(const std::filesystem::path& fileOrRunDir);

OnsetTrainingResult trainTorchOnsetRnn(OnsetRnnModel& model, const std::vector<OnsetSequence>& train,
                                       const std::vector<OnsetSequence>& validation,
                                       const OnsetTrainingConfig& config, TrainingObserver* observer,
                                       const Progress* progress);
double torchOnsetLoss(const OnsetRnnModel& model, const std::vector<OnsetSequence>& sequences);

// Registers "contrastive" and "triplet" (batch-hard) in `registry`.
void addSiameseLosses(LossRegistry& registry, const SiameseLossParams& params);
std::shared_ptr<const LossRegistry> torchSiameseLosses(SiameseLossParams params);
double torchContrastiveLossValue(const std::vector<float>& distances, const std::vector<float>& targets, double margin);
double torchTripletLossValue(const std::vector<float>& embeddings, std::size_t dim, const std::vector<int>& classes,
                             double margin);

// Self-supervised pretraining (ContrastivePretraining.h): ContrastivePretrainer.cpp, NtXentLoss.cpp, EncoderTransfer.cpp.
// `units`: pairingUnits() of the tracks.
std::unique_ptr<PretrainerBackend> makeTorchPretrainer(ModelSpec model, PretrainingConfig config,
                                                       std::vector<FeatureMatrix> tracks,
                                                       std::vector<std::vector<std::size_t>> units, TrainingObserver* observer);
double torchNtXentLossValue(const std::vector<float>& a, const std::vector<float>& b, std::size_t dim, double temperature);
std::vector<float> torchEncoderStateOf(const std::filesystem::path& runDir);

}  // namespace sonolab::ml
