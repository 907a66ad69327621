#pragma once
// A collection's vectors in one place: n rows of d floats (row-major, contiguous so one pass over memory scores every
// item) and the id of the item (track, clip) each row belongs to.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace sonolab::similarity {

class EmbeddingMatrix {
public:
    EmbeddingMatrix() = default;
    explicit EmbeddingMatrix(std::size_t dim) : dim_(dim) {}
    // values.size() must be ids.size() * dim.
    EmbeddingMatrix(std::size_t dim, std::vector<float> values, std::vector<std::int64_t> ids);

    std::size_t rows() const noexcept { return ids_.size(); }
    std::size_t dim() const noexcept { return dim_; }
    bool empty() const noexcept { return ids_.empty(); }

    std::span<const float> row(std::size_t i) const { return {values_.data() + i * dim_, dim_}; }
    std::span<float> row(std::size_t i) { return {values_.data() + i * dim_, dim_}; }
    std::int64_t id(std::size_t i) const { return ids_[i]; }
    const std::vector<std::int64_t>& ids() const noexcept { return ids_; }
    const std::vector<float>& values() const noexcept { return values_; }
    std::vector<float>& values() noexcept { return values_; }

    // Row of an id, or -1 when absent (linear: callers that look up often build their own map).
    std::ptrdiff_t rowOf(std::int64_t id) const;

    // Adds one item; throws Error when the vector's size is not dim().
    void append(std::int64_t id, std::span<const float> vector);

    // Columns [column, column+width) of every item as a new matrix (e.g. the RP part of RP+SSD).
    EmbeddingMatrix columns(std::size_t column, std::size_t width) const;
    // Side-by-side concatenation (early fusion, e.g. RP 1440 + SSD 168); both must list the same ids in order.
    static EmbeddingMatrix concatenate(const EmbeddingMatrix& left, const EmbeddingMatrix& right);

    // Scales every row to unit Euclidean length (zero rows stay zero): cosine becomes a dot product.
    void normalizeRows();

    // values as a (rows, dim) .npy plus the ids in a sidecar "<path>.ids" (one id a line).
    void save(const std::filesystem::path& npyPath) const;
    static EmbeddingMatrix load(const std::filesystem::path& npyPath);

private:
    std::size_t dim_ = 0;
    std::vector<float> values_;
    std::vector<std::int64_t> ids_;
};

}  // namespace sonolab::similarity
