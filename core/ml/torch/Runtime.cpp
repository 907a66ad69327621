// The model runtime module's entry point: the one exported symbol of libsonolab_models.so (ModelRuntime.h).
#include "core/ml/torch/CpuBufferCache.h"
#include "core/ml/torch/TorchBackends.h"
#include "core/ml/torch/TorchSupport.h"
#include "core/ml/torch/models/OnsetRnnNetwork.h"

#include <torch/version.h>

namespace sonolab::ml {
namespace {

class TorchRuntime final : public ModelRuntime {
public:
    TorchRuntime() {
        // libtorch's process-wide thread count, once, when it is loaded; each run sets its own (ProcessSetup.h).
        at::set_num_threads(resolveThreads(0));
    }

    std::unique_ptr<TrainerBackend> makeTrainer(ModelSpec model, TrainingConfig config, Dataset& train,
                                                Dataset* validation, TrainingObserver* observer,
                                                const LossRegistry* losses) const override {
        return makeTorchTrainer(std::move(model), std::move(config), train, validation, observer, losses);
    }
    std::unique_ptr<PredictorBackend> loadPredictor(const std::filesystem::path& runDir) const override {
        return loadTorchPredictor(runDir);
    }
    std::unique_ptr<OnsetRnnBackend> makeOnsetRnn(OnsetRnnConfig config, std::uint64_t seed) const override {
        return std::make_unique<TorchOnsetRnn>(std::move(config), seed);
    }
    std::unique_ptr<OnsetRnnBackend> loadOnsetRnn(const std::filesystem::path& file) const override {
        return loadTorchOnsetRnn(file);
    }
    OnsetTrainingResult trainOnsetRnn(OnsetRnnModel& model, const std::vector<OnsetSequence>& train,
                                      const std::vector<OnsetSequence>& validation, const OnsetTrainingConfig& config,
                                      TrainingObserver* observer, const Progress* progress) const override {
        return trainTorchOnsetRnn(model, train, validation, config, observer, progress);
    }
    double onsetLoss(const OnsetRnnModel& model, const std::vector<OnsetSequence>& sequences) const override {
        return torchOnsetLoss(model, sequences);
    }
    std::shared_ptr<const LossRegistry> siameseLosses(SiameseLossParams params) const override {
        return torchSiameseLosses(params);
    }
    double contrastiveLossValue(const std::vector<float>& distances, const std::vector<float>& targets,
                                double margin) const override {
        return torchContrastiveLossValue(distances, targets, margin);
    }
    double tripletLossValue(const std::vector<float>& embeddings, std::size_t dim, const std::vector<int>& classes,
                            double margin) const override {
        return torchTripletLossValue(embeddings, dim, classes, margin);
    }
    std::unique_ptr<PretrainerBackend> makePretrainer(ModelSpec model, PretrainingConfig config,
                                                      std::vector<FeatureMatrix> tracks,
                                                      std::vector<std::vector<std::size_t>> units,
                                                      TrainingObserver* observer) const override {
        return makeTorchPretrainer(std::move(model), std::move(config), std::move(tracks), std::move(units), observer);
    }
    double ntXentLossValue(const std::vector<float>& a, const std::vector<float>& b, std::size_t dim,
                           double temperature) const override {
        return torchNtXentLossValue(a, b, dim, temperature);
    }
    std::vector<float> encoderStateOf(const std::filesystem::path& runDir) const override {
        return torchEncoderStateOf(runDir);
    }
    std::size_t parameterCount(const ModelSpec& spec, InputShape input, std::size_t outputs) const override {
        auto net = ModelFactory::all().build(spec, input, outputs);
        std::size_t n = 0;
        for (const auto& p : net->parameters()) n += std::size_t(p.numel());
        return n;
    }
    int intraOpThreads() const override { return at::get_num_threads(); }
    CpuBufferCacheStats cpuBufferCacheStats() const override { return CpuBufferCache::install().stats(); }
    std::string description() const override {
        std::string text = "libtorch " + std::to_string(TORCH_VERSION_MAJOR) + "." +
                           std::to_string(TORCH_VERSION_MINOR) + "." + std::to_string(TORCH_VERSION_PATCH);
        const auto devices = torch::cuda::is_available() ? torch::cuda::device_count() : 0;
        return text + (devices ? ", CUDA (" + std::to_string(devices) + " devices)" : ", CPU");
    }
};

}  // namespace
}  // namespace sonolab::ml

// The loader (core/ml/ModelRuntime.cpp) calls this once; a module built from other sources answers null.
extern "C" __attribute__((visibility("default"))) const sonolab::ml::ModelRuntime* sonolab_model_runtime(
    std::uint64_t fingerprint) {
    if (fingerprint != sonolab::ml::modelRuntimeFingerprint()) return nullptr;
    sonolab::ml::CpuBufferCache::install();  // libtorch's CPU allocator from now on (idempotent)
    static const sonolab::ml::TorchRuntime runtime;
    return &runtime;
}
