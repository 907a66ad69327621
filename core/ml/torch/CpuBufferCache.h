#pragma once
// Internal (torch): libtorch's large CPU buffers kept for reuse while a network trains.
//
// Why: a training step allocates the same activations and gradients as the step before. glibc serves every block over
// 32 MB with a fresh mmap and gives it back with munmap, so each step the kernel maps, zeroes and faults in the same
// pages again. On `pretrain` (compact_cnn, 128 crops a step) that is ~100,000 page faults a step, and the system time
// was 40% of the run's CPU time. PyTorch caches its CUDA blocks for the same reason but not its CPU blocks; it advises
// jemalloc or tcmalloc instead, which a module loaded with dlopen cannot put under a running program.
//
// So the module registers one allocator with libtorch (c10::SetCPUAllocator) when it is loaded. Blocks of at least
// kMinCachedBytes come from allocateLarge (huge pages where the kernel has them, core/util/LargeAllocation.h); freed
// during a run, they wait in an IdleBlockCache (core/util/IdleBlockCache.h) for the next request of about their size.
// Outside runs they go back to the system at once, so the app does not keep a run's memory after it; during a run,
// at most kMaxCachedBytes wait, or an eighth of the machine's memory where that is less.
//
//   TrainingResult TorchTrainer::run() { const CpuBufferCache::RunScope cache; ...steps... }  // emptied at the end
#include "core/ml/ProcessSetup.h"
#include "core/util/IdleBlockCache.h"

#include <c10/core/Allocator.h>

#include <cstddef>
#include <mutex>

namespace sonolab::ml {

class CpuBufferCache final : public c10::Allocator {
public:
    static constexpr std::size_t kMinCachedBytes = std::size_t(1) << 20;  // smaller ones: glibc reuses them well
    static constexpr std::size_t kMaxCachedBytes = std::size_t(4) << 30;
    static constexpr std::size_t kMaxCachedShareOfMemory = 8;

    // The one instance, registered with libtorch as its CPU allocator by the first call (the module's entry point).
    // Never destroyed: a tensor freed during static destruction still finds it.
    static CpuBufferCache& install();

    // For the length of one run (training, pretraining), on the thread that runs it: freed large blocks are cached.
    // Runs may overlap (the app trains while another run trains); the cache empties when the last one ends.
    class RunScope {
    public:
        RunScope();
        ~RunScope();
        RunScope(const RunScope&) = delete;
        RunScope& operator=(const RunScope&) = delete;
    };

    CpuBufferCacheStats stats() const;  // any thread

    // Any thread (libtorch's allocations and frees).
    c10::DataPtr allocate(std::size_t bytes) const override;
    c10::DeleterFnPtr raw_deleter() const override { return &release; }

private:
    CpuBufferCache();
    static void release(void* data);
    void give(void* block, std::size_t bytes) const;
    void emptyCache() const;

    mutable std::mutex mutex_;
    mutable IdleBlockCache idle_;
    mutable std::size_t reused_ = 0;     // large requests served from idle_
    mutable std::size_t allocated_ = 0;  // large requests that went to the system
    mutable int activeRuns_ = 0;
};

}  // namespace sonolab::ml
