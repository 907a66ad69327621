#include "core/util/RuntimeModule.h"

#include <dlfcn.h>

#include <cstdlib>
#include <system_error>

#ifndef SONOLAB_RUNTIME_INSTALL_DIR  // relative to the program's folder, e.g. ../lib/x86_64-linux-gnu/sonolab
#define SONOLAB_RUNTIME_INSTALL_DIR "../lib/sonolab"
#endif

namespace sonolab {

std::vector<std::filesystem::path> runtimeModuleCandidates(const RuntimeModuleSpec& spec) {
    std::vector<std::filesystem::path> paths;
    if (const char* file = std::getenv(spec.envVariable); file && *file) {
        paths.emplace_back(file);
        return paths;  // asked for one: never fall back to another
    }
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) paths.push_back((exe.parent_path() / SONOLAB_RUNTIME_INSTALL_DIR / spec.file).lexically_normal());
    // Loaded into someone else's program (the Vamp plugin in a host): beside this shared object, and in
    // LIBDIR/sonolab when it sits in another folder of LIBDIR (LIBDIR/vamp).
    Dl_info self{};
    if (dladdr(reinterpret_cast<void*>(&runtimeModuleCandidates), &self) && self.dli_fname) {
        const auto object = std::filesystem::weakly_canonical(self.dli_fname, ec);
        if (!ec && object != exe) {
            paths.push_back(object.parent_path() / spec.file);
            paths.push_back((object.parent_path() / ".." / "sonolab" / spec.file).lexically_normal());
        }
    }
#ifdef SONOLAB_RUNTIME_BUILD_DIR
    paths.push_back(std::filesystem::path(SONOLAB_RUNTIME_BUILD_DIR) / spec.file);
#endif
    return paths;
}

OpenedRuntimeModule openRuntimeModule(const RuntimeModuleSpec& spec, RuntimeModuleFailure fail) {
    std::string tried;
    for (const auto& path : runtimeModuleCandidates(spec)) {
        if (!std::filesystem::exists(path)) {
            tried += (tried.empty() ? "" : ", ") + path.string();
            continue;
        }
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle)
            fail(path.string(), std::string(spec.needs) + " " + spec.dependency + ", which could not be loaded: " + dlerror());
        void* entry = dlsym(handle, spec.entryPoint);
        if (!entry) fail(path.string(), std::string("is not a Sonolab ") + spec.name);
        return {entry, path};
    }
    fail(spec.file, std::string(spec.needs) + " Sonolab's " + spec.name + ", which is not installed (looked for " +
                        tried + ")");
    return {};  // fail() throws
}

std::uint64_t interfaceFingerprint(std::uint64_t version, std::initializer_list<std::uint64_t> sizes) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the values
    h = (h ^ version) * 1099511628211ull;
    for (std::uint64_t v : sizes) h = (h ^ v) * 1099511628211ull;
    return h;
}

}  // namespace sonolab
