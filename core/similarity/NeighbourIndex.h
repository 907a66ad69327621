#pragma once
// Nearest-neighbour search over a collection's vectors, exact or approximate behind one interface, so callers (CLI,
// browser, evaluation) do not care which one a collection's size chose.
#include "core/similarity/Distances.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace sonolab {
struct Progress;
}

namespace sonolab::similarity {

class EmbeddingMatrix;

struct Neighbour {
    std::int64_t id = 0;
    float distance = 0;  // in the index's metric: Euclidean length, 1 - cosine, or L1
};

// Returns true for ids that may appear in results (filters: other artist, other source track, a label).
using IdFilter = std::function<bool(std::int64_t id)>;

class NeighbourIndex {
public:
    virtual ~NeighbourIndex() = default;

    virtual std::string kind() const = 0;  // "exact" or "hnsw"
    virtual Metric metric() const = 0;
    virtual std::size_t dim() const = 0;
    virtual std::size_t size() const = 0;
    virtual bool contains(std::int64_t id) const = 0;

    // Adds an item, or replaces the vector of an id already present.
    virtual void add(std::int64_t id, std::span<const float> vector) = 0;
    // The k nearest items, nearest first, among those the filter keeps (all when empty).
    virtual std::vector<Neighbour> search(std::span<const float> query, std::size_t k, const IdFilter& keep = {}) const = 0;
    // Written atomically; loadIndex() reads any kind back.
    virtual void save(const std::filesystem::path& path) const = 0;

    // The incremental rebuild: adds the rows whose ids the index lacks (tracks added since it was built); returns how many.
    std::size_t addMissing(const EmbeddingMatrix& collection, const Progress* progress = nullptr);
};

struct HnswParams {
    std::size_t m = 16;                // graph degree
    std::size_t efConstruction = 200;  // build-time beam
    std::size_t efSearch = 64;         // query-time beam (raised to k when smaller)
    std::size_t seed = 100;
};

struct IndexParams {
    Metric metric = Metric::Euclidean;
    // Collections at least this large get an HNSW index; smaller ones are searched exactly (which is both exact and,
    // below a few tens of thousands of items, about as fast). Manhattan is always exact (HNSW here has no L1 space).
    std::size_t hnswThreshold = 50000;
    HnswParams hnsw;
};

std::unique_ptr<NeighbourIndex> buildIndex(const EmbeddingMatrix& collection, const IndexParams& params = {},
                                           const Progress* progress = nullptr);
// Reads a file written by NeighbourIndex::save; throws Error naming the file when it is not one.
std::unique_ptr<NeighbourIndex> loadIndex(const std::filesystem::path& path);

}  // namespace sonolab::similarity
