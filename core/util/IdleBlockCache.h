#pragma once
// Freed memory blocks kept for the next request of about the same size: the bookkeeping of a caching allocator (the
// model runtime's CpuBufferCache keeps libtorch's training buffers with it). It owns no memory: the caller allocates,
// hands blocks in, and frees what comes back out. Not thread-safe; the allocator holds its lock around each call.
//
//   IdleBlockCache cache({.capBytes = 1 << 30});
//   if (auto b = cache.take(bytes)) use(b->block);   // else allocate
//   for (void* old : cache.keep(block, size)) free(old);  // what no longer fits under the cap
//
// Which block: the smallest big enough, if its unused tail is at most 1/slackDivisor of it (a smaller last batch
// reuses a full batch's blocks, a 1 MB request does not take a 1 GB block). Of one size, the block freed last: its
// pages are the likeliest still in the CPU's caches, as glibc's free lists are last-in first-out. Over the cap, the
// blocks idle longest go first: sizes nobody asks for any more.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace sonolab {

class IdleBlockCache {
public:
    struct Params {
        std::size_t capBytes = std::size_t(1) << 30;  // idle bytes kept at most
        std::size_t slackDivisor = 4;                  // a block serves requests of at least (1 - 1/4) of its size
    };
    struct Block {
        void* block;
        std::size_t bytes;  // its size, as given to keep()
    };

    explicit IdleBlockCache(Params params);

    // A kept block for a request of `bytes`, no longer kept; nullopt when none fits.
    std::optional<Block> take(std::size_t bytes);
    // Keeps a freed block of `bytes`. Returns the blocks that leave to stay under the cap (possibly this one) for
    // the caller to free, the ones idle longest first.
    [[nodiscard]] std::vector<void*> keep(void* block, std::size_t bytes);
    // Every kept block, for the caller to free; the cache is empty afterwards.
    [[nodiscard]] std::vector<void*> takeAll();

    std::size_t idleBytes() const { return idleBytes_; }
    std::size_t idleBlocks() const { return bySize_.size(); }
    std::size_t capBytes() const { return params_.capBytes; }

private:
    struct Idle {
        void* block;
        std::uint64_t freedAt;  // keep() calls before it
    };
    using BySize = std::multimap<std::size_t, Idle>;

    Params params_;
    BySize bySize_;                                 // of one size, freed last first
    std::map<std::uint64_t, BySize::iterator> byAge_;  // the same blocks, freed first first
    std::uint64_t kept_ = 0;
    std::size_t idleBytes_ = 0;
};

}  // namespace sonolab
