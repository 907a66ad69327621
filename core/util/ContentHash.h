#pragma once
// The one content hash of Sonolab: a 64-bit hash of ALL of a file's bytes. It is a track's identity in the library
// (how a rescan tells an edited file from a touched one) and the feature cache's key, so a renamed or moved file keeps
// its cached features and an edited one gets new ones. The library stores it per track, and training and extraction
// over library tracks take it from there: a track whose features are cached is never opened.
//
// Whole file, not a sample: the cache key must change with every edit, and an edit of a WAV keeps its size (the size
// is the duration), so a hash of the size plus a few sampled MiB (what the library used before schema 3) served stale
// features for an edit between the samples. Measured on a 100 MB WAV (10 min stereo, 2-core AMD EPYC VM):
// whole file 30-67 ms with the file in the page cache, 43-196 ms after evicting it; size + 3 x 1 MiB 1-5 ms and
// 5-50 ms; decoding the file and computing its log-mel takes 1.2 s of CPU. The whole-file cost is paid once per new
// or changed file at scan time, files up to 16 MiB were read whole by the old hash too, and this is the function the
// feature cache has always keyed by, so every cache entry written before stays valid.
//
// Four independent 64-bit lanes of multiply-rotate mixing (in the style of xxHash64) over 32-byte blocks run at
// several GB/s; the length is mixed in at the end. Not cryptographic. Never change the function: it keys every cache.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sonolab {

// Streaming form: update() with the bytes in any chunking gives the same finish() as hashing them in one piece.
class ContentHasher {
public:
    explicit ContentHasher(std::uint64_t seed = 0);
    void update(std::span<const std::byte> data);
    std::uint64_t finish() const;

private:
    void block(const std::byte* p);
    std::array<std::uint64_t, 4> v_;
    std::uint64_t seed_;
    std::array<std::byte, 32> buffer_{};
    std::size_t pending_ = 0;
    std::uint64_t total_ = 0;
};

std::uint64_t contentHash(std::span<const std::byte> bytes, std::uint64_t seed = 0);
// Reads the file in chunks (no full copy in memory). Throws Error naming the file when it cannot be read.
std::uint64_t hashFile(const std::filesystem::path& file);
// 16 lowercase hex digits: how the library stores a hash and the feature cache names an entry.
std::string hashHex(std::uint64_t hash);
// The hash back from exactly 16 hex digits; nullopt for anything else (e.g. the 32-digit hash of older libraries).
std::optional<std::uint64_t> parseHashHex(std::string_view hex);

}  // namespace sonolab
