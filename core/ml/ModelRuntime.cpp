#include "core/ml/ModelRuntime.h"

#include "core/ml/TrainingObserver.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <system_error>

#ifndef SONOLAB_MODEL_RUNTIME_FILE
#define SONOLAB_MODEL_RUNTIME_FILE "libsonolab_models.so"
#endif
#ifndef SONOLAB_MODEL_RUNTIME_INSTALL_DIR  // relative to the program's folder, e.g. ../lib/x86_64-linux-gnu/sonolab
#define SONOLAB_MODEL_RUNTIME_INSTALL_DIR "../lib/sonolab"
#endif

namespace sonolab::ml {

std::uint64_t modelRuntimeFingerprint() {
    // Bumped by hand when an interface of ModelRuntime.h changes; the sizes catch a struct that changed without it.
    constexpr std::uint64_t kInterfaceVersion = 1;
    std::uint64_t h = 1469598103934665603ull;
    for (std::uint64_t v : {kInterfaceVersion, std::uint64_t(sizeof(TrainingConfig)), std::uint64_t(sizeof(TrainingResult)),
                            std::uint64_t(sizeof(SavedModelInfo)), std::uint64_t(sizeof(TrackPrediction)),
                            std::uint64_t(sizeof(OnsetRnnConfig)), std::uint64_t(sizeof(OnsetTrainingConfig)),
                            std::uint64_t(sizeof(OnsetTrainingResult)), std::uint64_t(sizeof(EpochReport)),
                            std::uint64_t(sizeof(BatchReport)), std::uint64_t(sizeof(Dataset)),
                            std::uint64_t(sizeof(FeatureMatrix)), std::uint64_t(sizeof(ModelSpec))})
        h = (h ^ v) * 1099511628211ull;
    return h;
}

namespace {

// Where the module may be, in order: $SONOLAB_MODEL_RUNTIME (a file), beside the installed program
// (bin/../lib/.../sonolab), and the build tree that made this program (running from the build folder and tests).
std::vector<std::filesystem::path> candidates() {
    std::vector<std::filesystem::path> paths;
    if (const char* file = std::getenv("SONOLAB_MODEL_RUNTIME"); file && *file) {
        paths.emplace_back(file);
        return paths;  // asked for one: never fall back to another
    }
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) paths.push_back((exe.parent_path() / SONOLAB_MODEL_RUNTIME_INSTALL_DIR / SONOLAB_MODEL_RUNTIME_FILE).lexically_normal());
#ifdef SONOLAB_MODEL_RUNTIME_BUILD_DIR
    paths.push_back(std::filesystem::path(SONOLAB_MODEL_RUNTIME_BUILD_DIR) / SONOLAB_MODEL_RUNTIME_FILE);
#endif
    return paths;
}

const ModelRuntime* load() {
    std::string tried;
    for (const auto& path : candidates()) {
        if (!std::filesystem::exists(path)) {
            tried += (tried.empty() ? "" : ", ") + path.string();
            continue;
        }
        // Never closed: libtorch registers operators and threads for the life of the process and cannot unload.
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle)
            throw ModelRuntimeUnavailable(path.string(), std::string("training and trained models need libtorch, which "
                                                                     "could not be loaded: ") + dlerror());
        auto entry = reinterpret_cast<ModelRuntimeEntryPoint>(dlsym(handle, kModelRuntimeEntryPoint));
        if (!entry) throw ModelRuntimeUnavailable(path.string(), "is not a Sonolab model runtime");
        const ModelRuntime* runtime = entry(modelRuntimeFingerprint());
        if (!runtime)
            throw ModelRuntimeUnavailable(path.string(), "was built from other sources than this program: "
                                                         "reinstall Sonolab (or rebuild) so both match");
        return runtime;
    }
    throw ModelRuntimeUnavailable(SONOLAB_MODEL_RUNTIME_FILE,
                                  "training and trained models need Sonolab's model runtime, which is not installed "
                                  "(looked for " + tried + ")");
}

// The once-loaded runtime. A failed load is not remembered, so installing the module fixes a running program.
class Loader {
public:
    const ModelRuntime& get() {
        if (const ModelRuntime* r = runtime_.load(std::memory_order_acquire)) return *r;
        std::lock_guard lock(mutex_);
        if (!runtime_.load(std::memory_order_relaxed)) runtime_.store(load(), std::memory_order_release);
        return *runtime_.load(std::memory_order_relaxed);
    }
    bool loaded() const { return runtime_.load(std::memory_order_acquire) != nullptr; }

private:
    std::mutex mutex_;
    std::atomic<const ModelRuntime*> runtime_{nullptr};
};

Loader& loader() {
    static Loader instance;  // the process has one dynamic linker, so one loaded module
    return instance;
}

}  // namespace

const ModelRuntime& modelRuntime() { return loader().get(); }

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
