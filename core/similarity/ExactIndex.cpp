#include "core/similarity/ExactIndex.h"

#include "core/similarity/DotKernels.h"
#include "core/similarity/EmbeddingMatrix.h"
#include "core/similarity/IndexFile.h"
#include "core/util/Error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>

namespace sonolab::similarity {

namespace {

constexpr char kMagic[8] = {'S', 'L', 'E', 'X', 'A', 'C', 'T', '1'};
constexpr std::size_t kBlock = 512;  // rows scored per kernel call: the score buffer stays in L1

float squaredNorm(std::span<const float> v) {
    double s = 0;
    for (float x : v) s += double(x) * x;
    return float(s);
}

}  // namespace

ExactIndex::ExactIndex(Metric metric, std::size_t dim) : metric_(metric), dim_(dim) {}

ExactIndex::ExactIndex(const EmbeddingMatrix& collection, Metric metric) : metric_(metric), dim_(collection.dim()) {
    data_.reserve(collection.values().size());
    norms_.reserve(collection.rows());
    ids_.reserve(collection.rows());
    for (std::size_t r = 0; r < collection.rows(); ++r) add(collection.id(r), collection.row(r));
}

void ExactIndex::add(std::int64_t id, std::span<const float> vector) {
    if (vector.size() != dim_)
        throw Error("exact index", "item " + std::to_string(id) + " has " + std::to_string(vector.size()) +
                                       " dimensions, the index has " + std::to_string(dim_));
    std::vector<float> stored = storedForm(metric_, vector);
    if (auto it = rowOfId_.find(id); it != rowOfId_.end()) {
        std::copy(stored.begin(), stored.end(), data_.begin() + std::ptrdiff_t(it->second * dim_));
        norms_[it->second] = squaredNorm(stored);
        return;
    }
    rowOfId_.emplace(id, ids_.size());
    ids_.push_back(id);
    data_.insert(data_.end(), stored.begin(), stored.end());
    norms_.push_back(squaredNorm(stored));
}

void ExactIndex::scores(std::span<const float> query, std::size_t first, std::size_t count, float* out) const {
    const float* rows = data_.data() + first * dim_;
    switch (metric_) {
        case Metric::Euclidean:
            kernels::dotRows(rows, count, dim_, query.data(), out);
            for (std::size_t i = 0; i < count; ++i) out[i] = norms_[first + i] - 2.0f * out[i];
            break;
        case Metric::Cosine:
            kernels::dotRows(rows, count, dim_, query.data(), out);
            for (std::size_t i = 0; i < count; ++i) out[i] = -out[i];
            break;
        case Metric::Manhattan: kernels::l1Rows(rows, count, dim_, query.data(), out); break;
    }
}

float ExactIndex::finalDistance(std::span<const float> query, std::size_t row) const {
    std::span<const float> x(data_.data() + row * dim_, dim_);
    switch (metric_) {
        case Metric::Euclidean: return euclideanDistance(x, query);
        case Metric::Cosine: return cosineDistance(x, query);
        case Metric::Manhattan: return manhattanDistance(x, query);
    }
    return 0;
}

std::vector<Neighbour> ExactIndex::search(std::span<const float> query, std::size_t k, const IdFilter& keep) const {
    if (query.size() != dim_)
        throw Error("exact index", "query has " + std::to_string(query.size()) + " dimensions, the index has " +
                                       std::to_string(dim_));
    std::vector<float> q = storedForm(metric_, query);
    k = std::min(k, ids_.size());
    if (k == 0) return {};
    // Max-heap of the k best (score, row) so far: its top is the bar a new item must beat.
    std::vector<std::pair<float, std::size_t>> heap;
    heap.reserve(k + 1);
    float block[kBlock];
    for (std::size_t first = 0; first < ids_.size(); first += kBlock) {
        const std::size_t count = std::min(kBlock, ids_.size() - first);
        scores(q, first, count, block);
        for (std::size_t i = 0; i < count; ++i) {
            const float s = block[i];
            if (heap.size() == k && !(s < heap.front().first)) continue;
            if (keep && !keep(ids_[first + i])) continue;
            heap.emplace_back(s, first + i);
            std::push_heap(heap.begin(), heap.end());
            if (heap.size() > k) {
                std::pop_heap(heap.begin(), heap.end());
                heap.pop_back();
            }
        }
    }
    // Recompute the survivors' distances directly: ||x||^2 - 2x.q loses precision for near-identical vectors.
    std::vector<Neighbour> out;
    out.reserve(heap.size());
    for (auto& [score, row] : heap) out.push_back({ids_[row], finalDistance(q, row)});
    std::sort(out.begin(), out.end(), [](const Neighbour& a, const Neighbour& b) {
        return a.distance < b.distance || (a.distance == b.distance && a.id < b.id);
    });
    return out;
}

std::vector<float> ExactIndex::distancesTo(std::span<const float> query) const {
    if (query.size() != dim_) throw Error("exact index", "query has " + std::to_string(query.size()) + " dimensions");
    std::vector<float> q = storedForm(metric_, query);
    std::vector<float> out(ids_.size());
    for (std::size_t first = 0; first < ids_.size(); first += kBlock)
        scores(q, first, std::min(kBlock, ids_.size() - first), out.data() + first);
    const float qq = squaredNorm(q);
    for (float& s : out) {
        if (metric_ == Metric::Euclidean) s = std::sqrt(std::max(0.0f, s + qq));
        else if (metric_ == Metric::Cosine) s = 1.0f + s;
    }
    return out;
}

void ExactIndex::save(const std::filesystem::path& path) const {
    const std::uint64_t header[3] = {std::uint64_t(metric_), dim_, ids_.size()};
    writeIndexFile(path, kMagic, header, {std::as_bytes(std::span(ids_)), std::as_bytes(std::span(data_))});
}

std::unique_ptr<ExactIndex> ExactIndex::load(const std::filesystem::path& path) {
    IndexFileReader file(path, kMagic, 3, "exact index");
    const auto& header = file.header();
    file.require(header[0] <= 2 && header[1] != 0 && header[1] <= (1u << 20));
    auto index = std::make_unique<ExactIndex>(Metric(header[0]), header[1]);
    const auto ids = file.read<std::int64_t>(header[2]);
    file.require(header[2] <= std::uint64_t(-1) / header[1]);
    const auto data = file.read<float>(header[2] * header[1]);
    for (std::size_t r = 0; r < ids.size(); ++r)
        index->add(ids[r], std::span<const float>(data.data() + r * header[1], header[1]));
    return index;
}

}  // namespace sonolab::similarity
