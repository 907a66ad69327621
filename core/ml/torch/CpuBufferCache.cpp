#include "core/ml/torch/CpuBufferCache.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/alignment.h>
#include <c10/core/impl/alloc_cpu.h>

#include <memory>
#include <new>

namespace sonolab::ml {
namespace {

// Each cached block starts with its size; the tensor's data follows at libtorch's alignment, so the deleter (a plain
// function: libtorch's raw_allocate needs the data pointer to be the context) finds the size from the data alone.
constexpr std::size_t kHeaderBytes = c10::gAlignment;
static_assert(kHeaderBytes >= sizeof(std::size_t));

std::size_t& headerOf(void* block) { return *static_cast<std::size_t*>(block); }
void* dataOf(void* block) { return static_cast<char*>(block) + kHeaderBytes; }
void* blockOf(void* data) { return static_cast<char*>(data) - kHeaderBytes; }

}  // namespace

CpuBufferCache::CpuBufferCache() = default;

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
    CpuBufferCacheStats s = stats_;
    s.idleBytes = idleBytes_;
    return s;
}

c10::DataPtr CpuBufferCache::allocate(std::size_t bytes) const {
    // Small blocks have the header too: libtorch frees raw_allocate's blocks with raw_deleter(), whatever their size.
    void* block = bytes >= kMinCachedBytes ? take(bytes) : nullptr;
    if (!block) {
        block = c10::alloc_cpu(kHeaderBytes + bytes);
        headerOf(block) = bytes;
    }
    void* data = dataOf(block);
    return {data, data, &release, c10::Device(c10::DeviceType::CPU)};
}

void* CpuBufferCache::take(std::size_t bytes) const {
    std::lock_guard lock(mutex_);
    const auto it = idle_.lower_bound(bytes);
    if (it == idle_.end() || it->first - bytes > it->first / kMaxSlackDivisor) {
        ++stats_.allocated;
        return nullptr;
    }
    void* block = it->second;
    idleBytes_ -= it->first;
    idle_.erase(it);
    ++stats_.reused;
    return block;
}

void CpuBufferCache::release(void* data) {
    if (!data) return;
    void* block = blockOf(data);
    install().give(block, headerOf(block));
}

void CpuBufferCache::give(void* block, std::size_t bytes) const {
    if (bytes >= kMinCachedBytes) {
        std::lock_guard lock(mutex_);
        if (activeRuns_ > 0 && idleBytes_ + bytes <= kMaxCachedBytes) {
            // Before the blocks of the same size, so the next request takes the one freed last: its pages are
            // the likeliest still in the CPU's caches (glibc's free lists are last-in first-out too).
            idle_.emplace_hint(idle_.lower_bound(bytes), bytes, block);
            idleBytes_ += bytes;
            return;
        }
    }
    c10::free_cpu(block);
}

void CpuBufferCache::emptyCache() const {
    std::multimap<std::size_t, void*> idle;
    {
        std::lock_guard lock(mutex_);
        if (activeRuns_ > 0) return;
        idle.swap(idle_);
        idleBytes_ = 0;
    }
    for (const auto& [bytes, block] : idle) c10::free_cpu(block);
}

}  // namespace sonolab::ml
