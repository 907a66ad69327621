#include "core/ml/ModelRuntime.h"

#include "core/ml/TrainingObserver.h"

#include "core/util/RuntimeModule.h"

namespace sonolab::ml {

std::uint64_t modelRuntimeFingerprint() {
    // Bumped by hand when an interface of ModelRuntime.h changes; the sizes catch a struct that changed without it.
    constexpr std::uint64_t kInterfaceVersion = 1;
    return interfaceFingerprint(
        kInterfaceVersion, {sizeof(TrainingConfig), sizeof(TrainingResult), sizeof(SavedModelInfo), sizeof(TrackPrediction),
                            sizeof(OnsetRnnConfig), sizeof(OnsetTrainingConfig), sizeof(OnsetTrainingResult),
                            sizeof(EpochReport), sizeof(BatchReport), sizeof(Dataset), sizeof(FeatureMatrix),
                            sizeof(ModelSpec)});
}

namespace {

[[noreturn]] void unavailable(const std::string& file, const std::string& why) { throw ModelRuntimeUnavailable(file, why); }

const ModelRuntime* load() {
    const RuntimeModuleSpec spec{.file = "libsonolab_models.so",
                                 .envVariable = "SONOLAB_MODEL_RUNTIME",
                                 .entryPoint = kModelRuntimeEntryPoint,
                                 .name = "model runtime",
                                 .dependency = "libtorch",
                                 .needs = "training and trained models need"};
    // Never closed: libtorch registers operators and threads for the life of the process and cannot unload.
    const auto module = openRuntimeModule(spec, unavailable);
    const ModelRuntime* runtime = reinterpret_cast<ModelRuntimeEntryPoint>(module.entry)(modelRuntimeFingerprint());
    if (!runtime)
        unavailable(module.file.string(),
                    "was built from other sources than this program: reinstall Sonolab (or rebuild) so both match");
    return runtime;
}

OnceLoaded<ModelRuntime>& loader() {
    static OnceLoaded<ModelRuntime> instance;  // the process has one dynamic linker, so one loaded module
    return instance;
}

}  // namespace

const ModelRuntime& modelRuntime() { return loader().get(load); }

bool modelRuntimeLoaded() { return loader().loaded(); }

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
