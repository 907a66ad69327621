#include "core/similarity/NeighbourIndex.h"

#include "core/similarity/EmbeddingMatrix.h"
#include "core/similarity/ExactIndex.h"
#include "core/similarity/HnswIndex.h"
#include "core/util/Error.h"
#include "core/util/Progress.h"

#include <cstring>
#include <fstream>

namespace sonolab::similarity {

std::size_t NeighbourIndex::addMissing(const EmbeddingMatrix& collection, const Progress* progress) {
    if (collection.rows() > 0 && collection.dim() != dim())
        throw Error("index", "collection has " + std::to_string(collection.dim()) + " dimensions, the index has " +
                                 std::to_string(dim()));
    std::size_t added = 0;
    for (std::size_t r = 0; r < collection.rows(); ++r) {
        if (contains(collection.id(r))) continue;
        add(collection.id(r), collection.row(r));
        ++added;
        if (progress && r % 256 == 0) {
            (*progress)(double(r), double(collection.rows()), "adding new items to the index");
            progress->throwIfCancelled();
        }
    }
    return added;
}

std::unique_ptr<NeighbourIndex> buildIndex(const EmbeddingMatrix& collection, const IndexParams& params,
                                           const Progress* progress) {
    if (collection.rows() >= params.hnswThreshold && params.metric != Metric::Manhattan)
        return std::make_unique<HnswIndex>(collection, params.metric, params.hnsw, 0, progress);
    return std::make_unique<ExactIndex>(collection, params.metric);
}

std::unique_ptr<NeighbourIndex> loadIndex(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw fileError(path, "cannot open the index");
    char magic[8] = {};
    in.read(magic, 8);
    if (std::memcmp(magic, "SLEXACT1", 8) == 0) return ExactIndex::load(path);
    if (std::memcmp(magic, "SLHNSW01", 8) == 0) return HnswIndex::load(path);
    throw fileError(path, "not a similarity index written by Sonolab");
}

}  // namespace sonolab::similarity
