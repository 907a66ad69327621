#include "core/similarity/EmbeddingMatrix.h"

#include "core/similarity/Distances.h"

#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/Npy.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

namespace sonolab::similarity {

EmbeddingMatrix::EmbeddingMatrix(std::size_t dim, std::vector<float> values, std::vector<std::int64_t> ids)
    : dim_(dim), values_(std::move(values)), ids_(std::move(ids)) {
    if (values_.size() != ids_.size() * dim_)
        throw Error("embedding matrix", std::to_string(values_.size()) + " values do not make " +
                                            std::to_string(ids_.size()) + " rows of " + std::to_string(dim_));
}

std::ptrdiff_t EmbeddingMatrix::rowOf(std::int64_t id) const {
    auto it = std::find(ids_.begin(), ids_.end(), id);
    return it == ids_.end() ? -1 : it - ids_.begin();
}

void EmbeddingMatrix::append(std::int64_t id, std::span<const float> vector) {
    if (ids_.empty() && dim_ == 0) dim_ = vector.size();
    if (vector.size() != dim_)
        throw Error("embedding matrix", "item " + std::to_string(id) + " has " + std::to_string(vector.size()) +
                                            " dimensions, the collection has " + std::to_string(dim_));
    values_.insert(values_.end(), vector.begin(), vector.end());
    ids_.push_back(id);
}

EmbeddingMatrix EmbeddingMatrix::columns(std::size_t column, std::size_t width) const {
    if (column + width > dim_)
        throw Error("embedding matrix", "columns " + std::to_string(column) + "+" + std::to_string(width) +
                                            " exceed " + std::to_string(dim_) + " dimensions");
    std::vector<float> out(rows() * width);
    for (std::size_t r = 0; r < rows(); ++r)
        std::copy_n(values_.data() + r * dim_ + column, width, out.data() + r * width);
    return EmbeddingMatrix(width, std::move(out), ids_);
}

EmbeddingMatrix EmbeddingMatrix::concatenate(const EmbeddingMatrix& left, const EmbeddingMatrix& right) {
    if (left.ids_ != right.ids_) throw Error("embedding matrix", "cannot concatenate spaces over different items");
    const std::size_t d = left.dim_ + right.dim_;
    std::vector<float> out(left.rows() * d);
    for (std::size_t r = 0; r < left.rows(); ++r) {
        std::copy_n(left.values_.data() + r * left.dim_, left.dim_, out.data() + r * d);
        std::copy_n(right.values_.data() + r * right.dim_, right.dim_, out.data() + r * d + left.dim_);
    }
    return EmbeddingMatrix(d, std::move(out), left.ids_);
}

void EmbeddingMatrix::normalizeRows() {
    for (std::size_t r = 0; r < rows(); ++r) scaleToUnitLength(row(r));
}

void EmbeddingMatrix::save(const std::filesystem::path& npyPath) const {
    const std::size_t shape[2] = {rows(), dim_};
    writeNpy(npyPath, values_, shape);
    std::ostringstream ids;
    for (auto id : ids_) ids << id << '\n';
    writeFileAtomically(std::filesystem::path(npyPath.string() + ".ids"), ids.str());
}

EmbeddingMatrix EmbeddingMatrix::load(const std::filesystem::path& npyPath) {
    NpyArray array = readNpy(npyPath);
    if (array.shape.size() != 2) throw fileError(npyPath, "expected a 2-D array of embeddings");
    std::vector<std::int64_t> ids;
    const std::filesystem::path idsPath(npyPath.string() + ".ids");
    if (std::ifstream in(idsPath); in) {
        std::int64_t id;
        while (in >> id) ids.push_back(id);
        if (ids.size() != array.shape[0])
            throw fileError(idsPath, std::to_string(ids.size()) + " ids for " + std::to_string(array.shape[0]) + " rows");
    } else {
        for (std::size_t i = 0; i < array.shape[0]; ++i) ids.push_back(std::int64_t(i));
    }
    return EmbeddingMatrix(array.shape[1], std::move(array.data), std::move(ids));
}

}  // namespace sonolab::similarity
