#pragma once
// One of N slices of a collection, so N processes (a Slurm job array, xargs -P, several machines over a shared folder)
// fill one feature cache with no file done twice. A file belongs to the slice its content hash (util/ContentHash.h,
// the cache's own key) falls in: the partition needs no coordination, does not depend on file order, names or which
// machine lists the files, and copies of one file (same bytes, same key) land in the same slice.
#include <cstdint>
#include <string>
#include <string_view>

namespace sonolab::extraction {

struct Shard {
    std::uint64_t index = 0;  // 0-based; written 1-based ("1/4" .. "4/4") on the command line
    std::uint64_t count = 1;  // 1 = the whole collection

    // "K/N" with 1 <= K <= N; throws Error otherwise.
    static Shard parse(std::string_view text);
    std::string toString() const;  // "K/N"
    bool whole() const noexcept { return count <= 1; }
    // True for the keys this slice computes; exactly one of the N slices owns each key.
    bool owns(std::uint64_t contentHash) const noexcept;
};

}  // namespace sonolab::extraction
