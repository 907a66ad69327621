#include "core/ml/ModelRuntime.h"

#include "core/ml/TrainingObserver.h"

#include "core/util/RuntimeModule.h"

namespace sonolab::ml {

std::uint64_t modelRuntimeFingerprint() {
    // Bumped by hand when an interface of ModelRuntime.h changes; the sizes catch a struct that changed without it.
    constexpr std::uint64_t kInterfaceVersion = 4;
    return interfaceFingerprint(
        kInterfaceVersion, {sizeof(TrainingConfig), sizeof(TrainingResult), sizeof(SavedModelInfo), sizeof(TrackPrediction),
                            sizeof(OnsetRnnConfig), sizeof(OnsetTrainingConfig), sizeof(OnsetTrainingResult),
                            sizeof(EpochReport), sizeof(BatchReport), sizeof(Dataset), sizeof(FeatureMatrix),
                            sizeof(ModelSpec), sizeof(PretrainingConfig), sizeof(CpuBufferCacheStats)});
}

namespace {

RuntimeModule<ModelRuntime, ModelRuntimeUnavailable>& runtimeModule() {
    // Never closed: libtorch registers operators and threads for the life of the process and cannot unload.
    static RuntimeModule<ModelRuntime, ModelRuntimeUnavailable> instance(
        {.file = "libsonolab_models.so",
         .envVariable = "SONOLAB_MODEL_RUNTIME",
         .entryPoint = kModelRuntimeEntryPoint,
         .name = "model runtime",
         .dependency = "libtorch",
         .needs = "training and trained models need"},
        modelRuntimeFingerprint());
    return instance;
}

}  // namespace

const ModelRuntime& modelRuntime() { return runtimeModule().get(); }

bool modelRuntimeLoaded() { return runtimeModule().loaded(); }

bool modelRuntimeAvailable(std::string* why) {
    try {
        modelRuntime();
        return true;
    } catch (const ModelRuntimeUnavailable& e) {
        if (why) *why = e.what();
        return false;
    }
}

}  // namespace sonolab::ml
