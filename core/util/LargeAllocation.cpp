#include "core/util/LargeAllocation.h"

#include <cstdlib>

#include <sys/mman.h>

namespace sonolab {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kLargeFrom = std::size_t{1} << 20;
}  // namespace

void* allocateLarge(std::size_t bytes) {
    if (bytes == 0) bytes = 1;
    if (bytes < kLargeFrom) {
        if (void* memory = std::malloc(bytes)) return memory;
        throw std::bad_alloc();
    }
    // aligned_alloc wants a size that is a multiple of the alignment.
    std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* memory = std::aligned_alloc(kHugePage, rounded);
    if (!memory) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    ::madvise(memory, rounded, MADV_HUGEPAGE);  // a hint: where the kernel has none, 4 KiB pages as before
#endif
    return memory;
}

void freeLarge(void* memory) noexcept { std::free(memory); }

}  // namespace sonolab
