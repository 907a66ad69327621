#pragma once
// On-disk cache of computed features, standard library only (core/ml reads it on GPU servers).
// Layout (versioned so a future format lives beside this one):
//   <root>/v1/<spec-hash>/spec.txt                 the canonical FeatureSpec text (for people and tools)
//   <root>/v1/<spec-hash>/<content-hash>.npy       float32 C-order array, e.g. (bands, frames)
// Entries are written atomically (temporary file + rename), so a killed run leaves a complete entry or none.
// Reads memory-map the file. An entry whose header or size is damaged is reported as missing, deleted,
// and recomputed by getOrCompute(). Safe for concurrent use by several threads and processes.
#include "core/features/FeatureSpec.h"
#include "core/util/Matrix.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

namespace sonolab::features {

class FeatureCache {
public:
    static constexpr int kLayoutVersion = 1;

    explicit FeatureCache(std::filesystem::path root);
    const std::filesystem::path& root() const { return root_; }

    std::filesystem::path entryPath(std::uint64_t contentHash, const FeatureSpec& spec) const;
    // True when a complete, readable entry exists (checks the header and size, not the values).
    bool contains(std::uint64_t contentHash, const FeatureSpec& spec) const;
    // The entry as a borrowed matrix over its memory mapping (bands x frames: Layout::BinsByFrames); nullopt when
    // absent or damaged (a damaged file is removed).
    std::optional<Matrix> load(std::uint64_t contentHash, const FeatureSpec& spec) const;
    // Writes the matrix's values with its .npy shape (a 1-D array stays 1-D).
    void store(std::uint64_t contentHash, const FeatureSpec& spec, const Matrix& matrix) const;
    // load(), else compute, store, and return the stored entry (mapped).
    Matrix getOrCompute(std::uint64_t contentHash, const FeatureSpec& spec, const std::function<Matrix()>& compute) const;
    // Every content hash cached for a spec.
    std::vector<std::uint64_t> entries(const FeatureSpec& spec) const;
    // A run killed mid-write (SIGKILL, power loss) leaves its hidden temporary file behind (never read as an entry).
    // Removes those of processes that no longer exist; returns how many.
    std::size_t removeStaleTemporaries(const FeatureSpec& spec) const;

private:
    std::filesystem::path root_;
};

// Where a library keeps its feature cache unless told otherwise: LIB.features beside the library file.
std::filesystem::path defaultCacheFor(const std::filesystem::path& libraryFile);

}  // namespace sonolab::features
