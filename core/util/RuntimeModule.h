#pragma once
// Sonolab's run-time modules: code with heavy dependencies that the programs load with dlopen on first use, so
// starting a program never pays for them. libsonolab_models.so holds libtorch's work (core/ml/ModelRuntime.h);
// libsonolab_codecs.so holds FFmpeg's decoding and resampling (core/audio/CodecRuntime.h). This file is the one
// place that finds, opens and checks them; each module's interface lives beside the handles that use it.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sonolab {

struct RuntimeModuleSpec {
    const char* file = "";         // e.g. "libsonolab_codecs.so"
    const char* envVariable = "";  // a file named there is the only candidate (tests, unusual installs)
    const char* entryPoint = "";   // the exported C function that returns the module's interface
    const char* name = "";         // "model runtime": "... need Sonolab's model runtime, which is not installed"
    const char* dependency = "";   // "libtorch": "... need libtorch, which could not be loaded: <dlerror>"
    const char* needs = "";        // what a user loses without it, the start of each error sentence:
                                   // "training and trained models need"
};

// Where the module may be, in order: $envVariable (a file, never a fallback), beside the installed program
// (bin/../lib/.../sonolab), and the build tree that made this program (running from the build folder and tests).
std::vector<std::filesystem::path> runtimeModuleCandidates(const RuntimeModuleSpec& spec);

// The module's entry point, from the first candidate that exists. Never closed: modules register state for the
// life of the process. `fail(file, why)` must throw; it is called when no candidate exists, dlopen fails, or the
// file has no such entry point.
using RuntimeModuleFailure = void (*)(const std::string& file, const std::string& why);
struct OpenedRuntimeModule {
    void* entry = nullptr;
    std::filesystem::path file;
};
OpenedRuntimeModule openRuntimeModule(const RuntimeModuleSpec& spec, RuntimeModuleFailure fail);

// One module's interface, loaded by the first caller from any thread; later calls return at once. A failed load is
// not remembered, so installing the module fixes a running program. The module's entry point takes the program's
// fingerprint and answers null when it was built from other sources. Failures throw Unavailable(file, why).
template <class Interface, class Unavailable>
class RuntimeModule {
public:
    RuntimeModule(RuntimeModuleSpec spec, std::uint64_t fingerprint) : spec_(std::move(spec)), fingerprint_(fingerprint) {}

    // Any thread.
    const Interface& get() {
        if (const Interface* r = loaded_.load(std::memory_order_acquire)) return *r;
        std::lock_guard lock(mutex_);
        if (!loaded_.load(std::memory_order_relaxed)) loaded_.store(load(), std::memory_order_release);
        return *loaded_.load(std::memory_order_relaxed);
    }
    // Any thread. Nothing is loaded by asking.
    bool loaded() const { return loaded_.load(std::memory_order_acquire) != nullptr; }

private:
    [[noreturn]] static void fail(const std::string& file, const std::string& why) { throw Unavailable(file, why); }

    const Interface* load() const {
        const auto module = openRuntimeModule(spec_, fail);
        using Entry = const Interface* (*)(std::uint64_t);
        const Interface* runtime = reinterpret_cast<Entry>(module.entry)(fingerprint_);
        if (!runtime)
            fail(module.file.string(),
                 "was built from other sources than this program: reinstall Sonolab (or rebuild) so both match");
        return runtime;
    }

    const RuntimeModuleSpec spec_;
    const std::uint64_t fingerprint_;
    std::mutex mutex_;
    std::atomic<const Interface*> loaded_{nullptr};
};

// A fingerprint of an interface version and the sizes of the types that cross it: a module built from other sources
// (a stale .so beside a newer program) is refused instead of crashing.
std::uint64_t interfaceFingerprint(std::uint64_t version, std::initializer_list<std::uint64_t> sizes);

}  // namespace sonolab
