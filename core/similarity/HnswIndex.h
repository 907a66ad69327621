#pragma once
// Approximate k-nearest-neighbour search with a hierarchical navigable small-world graph (hnswlib), for collections
// where one pass over every vector per query is too slow. Euclidean and cosine (unit vectors, inner product).
#include "core/similarity/NeighbourIndex.h"

#include <unordered_set>

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
    std::size_t size() const override { return ids_.size(); }
    bool contains(std::int64_t id) const override { return ids_.count(id) != 0; }

    void add(std::int64_t id, std::span<const float> vector) override;
    std::vector<Neighbour> search(std::span<const float> query, std::size_t k, const IdFilter& keep = {}) const override;
    // Trades recall for speed at query time.
    void setEfSearch(std::size_t ef);
    const HnswParams& params() const noexcept { return params_; }

    void save(const std::filesystem::path& path) const override;
    static std::unique_ptr<HnswIndex> load(const std::filesystem::path& path);

private:
    std::vector<float> prepared(std::span<const float> v) const;
    void reserve(std::size_t count);

    Metric metric_;
    std::size_t dim_;
    HnswParams params_;
    std::unique_ptr<hnswlib::SpaceInterface<float>> space_;  // must outlive graph_
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph_;
    std::unordered_set<std::int64_t> ids_;
};

}  // namespace sonolab::similarity
