#include "core/ml/torch/CpuBufferCache.h"

#include "core/util/LargeAllocation.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/alignment.h>
#include <c10/core/impl/alloc_cpu.h>

#include <unistd.h>

#include <algorithm>
#include <new>
#include <vector>

namespace sonolab::ml {
namespace {

// Each block starts with its size; the tensor's data follows at libtorch's alignment, so the deleter (a plain
// function: libtorch's raw_allocate needs the data pointer to be the context) finds the size, and with it how the
// block was allocated, from the data alone. Small blocks have the header too: libtorch frees raw_allocate's blocks
// with raw_deleter(), whatever their size.
constexpr std::size_t kHeaderBytes = c10::gAlignment;
static_assert(kHeaderBytes >= sizeof(std::size_t));

std::size_t& headerOf(void* block) { return *static_cast<std::size_t*>(block); }
void* dataOf(void* block) { return static_cast<char*>(block) + kHeaderBytes; }
void* blockOf(void* data) { return static_cast<char*>(data) - kHeaderBytes; }

bool isLarge(std::size_t bytes) { return bytes >= CpuBufferCache::kMinCachedBytes; }

// A block for `bytes` of tensor data, header included: large ones from allocateLarge, small ones as libtorch's own.
void* newBlock(std::size_t bytes) {
    void* block = isLarge(bytes) ? allocateLarge(kHeaderBytes + bytes) : c10::alloc_cpu(kHeaderBytes + bytes);
    headerOf(block) = bytes;
    return block;
}

// Frees a block of newBlock's as it was allocated.
void freeBlock(void* block) {
    if (isLarge(headerOf(block))) freeLarge(block);
    else c10::free_cpu(block);
}

std::size_t cacheCap() {
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0) return CpuBufferCache::kMaxCachedBytes;
    return std::min(CpuBufferCache::kMaxCachedBytes,
                    std::size_t(pages) * std::size_t(pageSize) / CpuBufferCache::kMaxCachedShareOfMemory);
}

}  // namespace

CpuBufferCache::CpuBufferCache() : idle_({.capBytes = cacheCap()}) {}

CpuBufferCache& CpuBufferCache::install() {
    // Placement into static storage instead of a static object: it must outlive every tensor, including the ones
    // other libraries free after this module's statics are destroyed.
    alignas(CpuBufferCache) static std::byte storage[sizeof(CpuBufferCache)];
    static CpuBufferCache* const cache = [] {
        auto* c = ::new (static_cast<void*>(storage)) CpuBufferCache;
        c10::SetCPUAllocator(c, /*priority=*/1);
        return c;
    }();
    return *cache;
}

CpuBufferCache::RunScope::RunScope() {
    auto& cache = install();
    std::lock_guard lock(cache.mutex_);
    ++cache.activeRuns_;
}

CpuBufferCache::RunScope::~RunScope() {
    auto& cache = install();
    {
        std::lock_guard lock(cache.mutex_);
        if (--cache.activeRuns_ > 0) return;
    }
    cache.emptyCache();
}

CpuBufferCacheStats CpuBufferCache::stats() const {
    std::lock_guard lock(mutex_);
    return {.reused = reused_, .allocated = allocated_, .idleBytes = idle_.idleBytes()};
}

c10::DataPtr CpuBufferCache::allocate(std::size_t bytes) const {
    void* block = nullptr;
    if (isLarge(bytes)) {
        std::lock_guard lock(mutex_);
        if (const auto kept = idle_.take(bytes)) block = kept->block;
        ++(block ? reused_ : allocated_);
    }
    if (!block) block = newBlock(bytes);
    void* data = dataOf(block);
    return {data, data, &release, c10::Device(c10::DeviceType::CPU)};
}

void CpuBufferCache::release(void* data) {
    if (!data) return;
    void* block = blockOf(data);
    const std::size_t bytes = headerOf(block);
    if (isLarge(bytes)) install().give(block, bytes);
    else freeBlock(block);
}

void CpuBufferCache::give(void* block, std::size_t bytes) const {
    std::vector<void*> leaving;
    {
        std::lock_guard lock(mutex_);
        if (activeRuns_ > 0) leaving = idle_.keep(block, bytes);
        else leaving.push_back(block);
    }
    for (void* b : leaving) freeBlock(b);
}

void CpuBufferCache::emptyCache() const {
    std::vector<void*> all;
    {
        std::lock_guard lock(mutex_);
        if (activeRuns_ > 0) return;
        all = idle_.takeAll();
    }
    for (void* b : all) freeBlock(b);
}

}  // namespace sonolab::ml
