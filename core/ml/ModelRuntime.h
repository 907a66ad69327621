#pragma once
// libtorch is loaded only by the work that needs it. Everything that runs a network — training, prediction and
// embeddings, the recurrent onset detector, the siamese losses — lives in the model runtime
// module (libsonolab_models.so, built from core/ml/torch/), which the programs load with dlopen on first use. The
// handles of core/ml (Trainer, Predictor, OnsetRnnModel, trainOnsetRnn...) keep their plain C++ API and forward here,
// so decoding, features, the library, handcrafted similarity, flux onsets and every view start without libtorch
// (~0.8 s of loading and initialising on a 2-core machine).
//
// The interfaces below are what the module implements. Nothing outside core/ml uses them directly: use the handles.
#include "core/ml/ContrastivePretraining.h"
#include "core/ml/FeatureMatrix.h"
#include "core/ml/ModelSpec.h"
#include "core/ml/OnsetRnnModel.h"
#include "core/ml/OnsetSequenceTrainer.h"
#include "core/ml/Predictor.h"
#include "core/ml/ProcessSetup.h"
#include "core/ml/SavedModel.h"
#include "core/ml/Siamese.h"
#include "core/ml/Trainer.h"
#include "core/util/Error.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace sonolab::ml {

class LossRegistry;

// What Trainer forwards to. Called as Trainer documents (run on the worker thread, stop/pause/resume from any).
class TrainerBackend {
public:
    virtual ~TrainerBackend() = default;
    virtual void resumeFrom(const std::filesystem::path& runDir) = 0;
    virtual TrainingResult run() = 0;
    virtual void requestStop() = 0;
    virtual void pause() = 0;
    virtual void resume() = 0;
    virtual bool paused() const = 0;
    virtual std::string deviceDescription() const = 0;
    virtual std::vector<float> flatParameters() const = 0;
    virtual std::size_t parameterCount() const = 0;
    virtual MemoryLayout memoryLayout() const = 0;
};

// What Predictor forwards to.
class PredictorBackend {
public:
    virtual ~PredictorBackend() = default;
    virtual const SavedModelInfo& info() const = 0;
    // The windows of a track (starts, width, hop and each window's probabilities); the handle aggregates them
    // (WindowAggregation.h), so the module never decides how a clip's windows become one output.
    virtual TrackPrediction predictWindows(const FeatureMatrix& features, std::size_t hopFrames) const = 0;
    // [window][embedding] of the same windows.
    virtual std::vector<std::vector<float>> embedWindows(const FeatureMatrix& features, std::size_t hopFrames) const = 0;
    virtual std::size_t embeddingSize() const = 0;
};

// What OnsetRnnModel forwards to.
class OnsetRnnBackend {
public:
    virtual ~OnsetRnnBackend() = default;
    virtual const OnsetRnnConfig& config() const = 0;
    virtual std::size_t parameterCount() const = 0;
    virtual std::vector<float> flatParameters() const = 0;
    virtual void setStandardization(std::vector<float> mean, std::vector<float> scale) = 0;
    virtual void fitStandardization(const std::vector<OnsetSequence>& sequences) = 0;
    virtual const std::vector<float>& standardizationMean() const = 0;
    virtual const std::vector<float>& standardizationScale() const = 0;
    virtual std::vector<float> predict(const float* features, std::size_t frames, std::size_t dims) const = 0;
    virtual void save(const std::filesystem::path& file) const = 0;
};

// The module's entry points. Thread-safe: every method may be called from any thread.
class ModelRuntime {
public:
    virtual ~ModelRuntime() = default;

    virtual std::unique_ptr<TrainerBackend> makeTrainer(ModelSpec model, TrainingConfig config, Dataset& train,
                                                        Dataset* validation, TrainingObserver* observer,
                                                        const LossRegistry* losses) const = 0;
    virtual std::unique_ptr<PredictorBackend> loadPredictor(const std::filesystem::path& runDir) const = 0;

    virtual std::unique_ptr<OnsetRnnBackend> makeOnsetRnn(OnsetRnnConfig config, std::uint64_t seed) const = 0;
    virtual std::unique_ptr<OnsetRnnBackend> loadOnsetRnn(const std::filesystem::path& file) const = 0;
    virtual OnsetTrainingResult trainOnsetRnn(OnsetRnnModel& model, const std::vector<OnsetSequence>& train,
                                              const std::vector<OnsetSequence>& validation,
                                              const OnsetTrainingConfig& config, TrainingObserver* observer,
                                              const Progress* progress) const = 0;
    virtual double onsetLoss(const OnsetRnnModel& model, const std::vector<OnsetSequence>& sequences) const = 0;

    virtual std::shared_ptr<const LossRegistry> siameseLosses(SiameseLossParams params) const = 0;
    virtual double contrastiveLossValue(const std::vector<float>& distances, const std::vector<float>& targets,
                                        double margin) const = 0;
    virtual double tripletLossValue(const std::vector<float>& embeddings, std::size_t dim,
                                    const std::vector<int>& classes, double margin) const = 0;

    virtual std::unique_ptr<PretrainerBackend> makePretrainer(ModelSpec model, PretrainingConfig config,
                                                              std::vector<FeatureMatrix> tracks,
                                                              std::vector<std::vector<std::size_t>> units,
                                                              TrainingObserver* observer) const = 0;
    virtual double ntXentLossValue(const std::vector<float>& a, const std::vector<float>& b, std::size_t dim,
                                   double temperature) const = 0;
    virtual std::vector<float> encoderStateOf(const std::filesystem::path& runDir) const = 0;

    virtual std::size_t parameterCount(const ModelSpec& spec, InputShape input, std::size_t outputs) const = 0;
    // The intra-op thread count operations started on the calling thread use now (ProcessSetup.h).
    virtual int intraOpThreads() const = 0;
    virtual CpuBufferCacheStats cpuBufferCacheStats() const = 0;
    // e.g. "libtorch 2.0.1, CPU" or "libtorch 2.0.1, CUDA 11.8 (1 device)".
    virtual std::string description() const = 0;
};

// Thrown by modelRuntime() when the module or libtorch cannot be loaded: its message is the one sentence a user sees.
class ModelRuntimeUnavailable : public Error {
public:
    using Error::Error;
};

// The module, loaded on the first call from any thread (later calls return at once). Throws ModelRuntimeUnavailable.
const ModelRuntime& modelRuntime();
// Whether modelRuntime() has loaded already (nothing is loaded by asking).
bool modelRuntimeLoaded();
// Loads it if it can; false (with the sentence in `why`) when it cannot. For "is training available?" questions.
bool modelRuntimeAvailable(std::string* why = nullptr);

// The module's side of the handshake: the loader calls this exported C function and refuses a module built from
// other sources (a stale libsonolab_models.so beside a newer program) by comparing the fingerprint.
std::uint64_t modelRuntimeFingerprint();
inline constexpr const char* kModelRuntimeEntryPoint = "sonolab_model_runtime";
using ModelRuntimeEntryPoint = const ModelRuntime* (*)(std::uint64_t fingerprint);

}  // namespace sonolab::ml
