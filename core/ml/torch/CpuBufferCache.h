#pragma once
// Internal (torch): libtorch's large CPU buffers kept for reuse while a network trains.
//
// Why: a training step allocates the same activations and gradients as the step before. glibc serves every block over
// 32 MB with a fresh mmap and gives it back with munmap, so each step the kernel maps, zeroes and faults in the same
// pages again. On `pretrain` (compact_cnn, 128 crops a step) that is ~100,000 page faults a step, and the system time
// was 40% of the run's CPU time. PyTorch caches its CUDA blocks for the same reason but not its CPU blocks; it advises
// jemalloc or tcmalloc instead, which a module loaded with dlopen cannot put under a running program.
//
// So the module registers one allocator with libtorch (c10::SetCPUAllocator) when it is loaded: blocks of at least
// kMinCachedBytes freed during a run go to a cache and serve the next request of about the same size. Outside runs,
// and beyond kMaxCachedBytes, blocks go back to the system at once, so the app does not keep a run's memory after it.
//
//   void TorchTrainer::run() { const CpuBufferCache::RunScope cache; ...steps... }  // the cache empties when it ends
#include "core/ml/ProcessSetup.h"

#include <c10/core/Allocator.h>

#include <atomic>
#include <cstddef>
#include <map>
#include <mutex>

namespace sonolab::ml {

class CpuBufferCache final : public c10::Allocator {
public:
    static constexpr std::size_t kMinCachedBytes = std::size_t(1) << 20;   // smaller ones: glibc reuses them well
    static constexpr std::size_t kMaxCachedBytes = std::size_t(4) << 30;   // idle blocks kept at most
    // A cached block serves a request of at least 3/4 of its size, so a smaller last batch reuses a full one's blocks.
    static constexpr std::size_t kMaxSlackDivisor = 4;

    // The one instance, registered with libtorch as its CPU allocator (called once, by the module's entry point).
    // Never destroyed: a tensor freed during static destruction still finds it.
    static CpuBufferCache& install();

    // For the length of one run (training, pretraining), on the thread that runs it: freed large blocks are cached.
    // Runs may overlap (the app trains while the browser embeds); the cache empties when the last one ends.
    class RunScope {
    public:
        RunScope();
        ~RunScope();
        RunScope(const RunScope&) = delete;
        RunScope& operator=(const RunScope&) = delete;
    };

    CpuBufferCacheStats stats() const;  // any thread

    // Any thread (libtorch's allocations).
    c10::DataPtr allocate(std::size_t bytes) const override;
    c10::DeleterFnPtr raw_deleter() const override { return &release; }

private:
    CpuBufferCache();
    static void release(void* data);
    void* take(std::size_t bytes) const;
    void give(void* block, std::size_t bytes) const;
    void emptyCache() const;

    mutable std::mutex mutex_;
    mutable std::multimap<std::size_t, void*> idle_;  // block size -> block (header included)
    mutable std::size_t idleBytes_ = 0;
    mutable CpuBufferCacheStats stats_;  // idleBytes unused: idleBytes_ is the one count
    mutable int activeRuns_ = 0;
};

}  // namespace sonolab::ml
