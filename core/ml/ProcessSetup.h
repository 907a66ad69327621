#pragma once
// Settings kept for the whole process, made once: the C allocator's by each program's main() (configureProcess()),
// libtorch's by the model runtime when it is loaded (ModelRuntime.h); no trainer, predictor or run changes them.
//
// What a run's `threads` option (TrainingConfig::threads, OnsetTrainingConfig::threads, `--threads`) means: the
// intra-op threads of that run's tensor operations, set on the thread that runs it for the length of the run and
// restored afterwards (0 = all cores). libtorch's OpenMP backend (the one Sonolab builds against) keeps this count
// per calling thread, so a dashboard run and an onset run training at once each keep their own.
#include <cstddef>

namespace sonolab::ml {
// glibc's allocator tuned for training (freed batch buffers stay mapped instead of costing ~1.5x in page faults;
// libtorch's blocks over glibc's 32 MB limit are kept by the model runtime's CpuBufferCache during a run),
// and a file-size limit reported as a write error instead of killing the process (SIGXFSZ ignored).
// Call once from main(), before starting other threads.
void configureProcess();
// A run's intra-op thread count: n > 0 as given, 0 = all cores.
int resolveThreads(int threads);
// The intra-op thread count operations started on the calling thread use now (loads the model runtime).
int intraOpThreads();

// What the model runtime's cache of libtorch's large CPU buffers (core/ml/torch/CpuBufferCache.h) has done since it
// was loaded: requests it served from freed blocks, requests that went to the system, and the idle bytes it holds
// now (none once no run is training).
struct CpuBufferCacheStats {
    std::size_t reused = 0;
    std::size_t allocated = 0;
    std::size_t idleBytes = 0;
};
CpuBufferCacheStats cpuBufferCacheStats();  // loads the model runtime
}  // namespace sonolab::ml
