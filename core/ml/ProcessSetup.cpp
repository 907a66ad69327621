#include "core/ml/ProcessSetup.h"

#include "core/ml/ModelRuntime.h"

#include <malloc.h>

#include <algorithm>
#include <csignal>
#include <thread>

namespace sonolab::ml {

void configureProcess() {
    // glibc returns freed memory to the OS and maps it again each batch, costing libtorch training ~1.5x here:
    // raise the mmap and trim thresholds for the whole process.
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);  // glibc's maximum on 64-bit
    mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
    mallopt(M_TOP_PAD, 64 * 1024 * 1024);
    // A file-size limit (ulimit -f, a quota-like sandbox) must be an error with the file's name, like a full disk,
    // not SIGXFSZ's default of killing the process mid-write and leaving its temporary files behind.
    std::signal(SIGXFSZ, SIG_IGN);
}

int resolveThreads(int threads) { return threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency())); }

int intraOpThreads() { return modelRuntime().intraOpThreads(); }

CpuBufferCacheStats cpuBufferCacheStats() { return modelRuntime().cpuBufferCacheStats(); }

}  // namespace sonolab::ml
