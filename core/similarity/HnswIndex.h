#pragma once
// Approximate k-nearest-neighbour search with a hierarchical navigable small-world graph (hnswlib), for collections
// where one pass over every vector per query is too slow. Euclidean and cosine (unit vectors, inner product).
// Memory: per item the vector (4 x dim bytes), its level-0 links (4 x 2M + 4), its id (8), plus a lock and the
// id lookup (~80 bytes); memoryBytes() adds it up. Saving streams the graph. load() maps the file and searches it
// in place (nothing copied, no id lookup built), so reopening costs the mapping, not the graph's size; the first
// add() (or contains()) builds what a growing graph needs.
#include "core/similarity/NeighbourIndex.h"

#include <mutex>

namespace hnswlib {
template <typename T>
class HierarchicalNSW;
template <typename T>
class SpaceInterface;
}  // namespace hnswlib

namespace sonolab::similarity {

class HnswIndex final : public NeighbourIndex {
public:
    HnswIndex(Metric metric, std::size_t dim, HnswParams params = {}, std::size_t capacity = 1024);
    // Builds over the whole collection, with `threads` workers (0 = all cores).
    HnswIndex(const EmbeddingMatrix& collection, Metric metric, HnswParams params = {}, unsigned threads = 0,
              const Progress* progress = nullptr);
    ~HnswIndex() override;

    std::string kind() const override { return "hnsw"; }
    Metric metric() const override { return metric_; }
    std::size_t dim() const override { return dim_; }
    std::size_t size() const override;
    bool contains(std::int64_t id) const override;

    void add(std::int64_t id, std::span<const float> vector) override;
    std::vector<Neighbour> search(std::span<const float> query, std::size_t k, const IdFilter& keep = {}) const override;
    // Trades recall for speed at query time.
    void setEfSearch(std::size_t ef);
    const HnswParams& params() const noexcept { return params_; }
    // Bytes the graph holds in memory (vectors, links, locks, id lookup), for sizing a machine.
    std::size_t memoryBytes() const;

    void save(const std::filesystem::path& path) const override;
    static std::unique_ptr<HnswIndex> load(const std::filesystem::path& path);

private:
    std::vector<float> prepared(std::span<const float> v) const;
    void reserve(std::size_t count);
    // A mapped graph: the id lookup is built on first need (contains), the graph copied to memory on first add().
    void ensureLookup() const;
    void materialise();

    Metric metric_;
    std::size_t dim_;
    HnswParams params_;
    std::unique_ptr<hnswlib::SpaceInterface<float>> space_;  // must outlive graph_
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph_;  // its label lookup is the one set of ids
    bool mapped_ = false;                                     // graph_ reads a file mapping (load())
    mutable std::once_flag lookupOnce_;
};

}  // namespace sonolab::similarity
