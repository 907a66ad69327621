#pragma once
// Memory for big buffers that fill once and live as long as a track is open (decoded samples, waveform summaries):
// from 1 MiB up, blocks are 2 MiB-aligned and marked for transparent huge pages, so filling 100 MB costs ~50 page
// faults instead of ~25,000. Page faults were the largest kernel cost of opening a long track. Smaller requests go
// to the ordinary heap. The memory is not zeroed.
#include <cstddef>
#include <memory>
#include <new>

namespace sonolab {

void* allocateLarge(std::size_t bytes);        // throws std::bad_alloc
void freeLarge(void* memory) noexcept;          // memory from allocateLarge, or nullptr

// An array of n uninitialised Ts from allocateLarge, freed by its unique_ptr (T trivially constructible).
struct LargeFree {
    void operator()(void* memory) const noexcept { freeLarge(memory); }
};
template <class T>
using LargeArray = std::unique_ptr<T[], LargeFree>;
template <class T>
LargeArray<T> allocateLargeArray(std::size_t n) {
    return LargeArray<T>(static_cast<T*>(allocateLarge(n * sizeof(T))));
}

// std::vector<T, LargeAllocator<T>> for the same buffers when they grow by appending.
template <class T>
struct LargeAllocator {
    using value_type = T;
    LargeAllocator() = default;
    template <class U>
    LargeAllocator(const LargeAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(allocateLarge(n * sizeof(T))); }
    void deallocate(T* p, std::size_t) noexcept { freeLarge(p); }
    template <class U>
    bool operator==(const LargeAllocator<U>&) const noexcept { return true; }
};

}  // namespace sonolab
