#pragma once
// Exact k-nearest-neighbour search as one pass over the collection: a matrix-vector product (for Euclidean,
// ||x||^2 - 2 x.q with ||x||^2 precomputed; for cosine, rows stored unit-length) and a bounded heap for the top k.
#include "core/similarity/NeighbourIndex.h"

#include <unordered_map>

namespace sonolab::similarity {

class ExactIndex final : public NeighbourIndex {
public:
    ExactIndex(Metric metric, std::size_t dim);
    ExactIndex(const EmbeddingMatrix& collection, Metric metric);

    std::string kind() const override { return "exact"; }
    Metric metric() const override { return metric_; }
    std::size_t dim() const override { return dim_; }
    std::size_t size() const override { return ids_.size(); }
    bool contains(std::int64_t id) const override { return rowOfId_.count(id) != 0; }

    void add(std::int64_t id, std::span<const float> vector) override;
    std::vector<Neighbour> search(std::span<const float> query, std::size_t k, const IdFilter& keep = {}) const override;
    // Distances from the query to every item, in insertion order (for ranking metrics that need the full order).
    std::vector<float> distancesTo(std::span<const float> query) const;
    const std::vector<std::int64_t>& ids() const noexcept { return ids_; }

    void save(const std::filesystem::path& path) const override;
    static std::unique_ptr<ExactIndex> load(const std::filesystem::path& path);

private:
    // Scores that order like distances (smaller = nearer) without the per-item square root.
    void scores(std::span<const float> query, std::size_t first, std::size_t count, float* out) const;
    float finalDistance(std::span<const float> query, std::size_t row) const;

    Metric metric_;
    std::size_t dim_;
    std::vector<float> data_;   // row-major; unit rows for cosine
    std::vector<float> norms_;  // squared norms (Euclidean)
    std::vector<std::int64_t> ids_;
    std::unordered_map<std::int64_t, std::size_t> rowOfId_;
};

}  // namespace sonolab::similarity
