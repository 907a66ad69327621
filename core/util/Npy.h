#pragma once
// NumPy .npy files (format 1.0, little-endian float32, C order): the exchange format for features and embeddings,
// so any Python user can np.load() what Sonolab writes.
#include "core/util/Matrix.h"

#include <cstddef>
#include <filesystem>
#include <span>
#include <vector>

namespace sonolab {

struct NpyArray {
    std::vector<std::size_t> shape;
    std::vector<float> data;  // C order
};

// Serialises to the bytes of a .npy file.
std::vector<std::byte> encodeNpy(std::span<const float> data, std::span<const std::size_t> shape);
// Written atomically (see AtomicFile.h).
void writeNpy(const std::filesystem::path& path, std::span<const float> data, std::span<const std::size_t> shape);
void writeNpy(const std::filesystem::path& path, const Matrix& matrix);  // with matrix.npyShape()
// Reads float32 ('<f4') files written by Sonolab or NumPy; throws Error naming the file otherwise.
NpyArray readNpy(const std::filesystem::path& path);
// A 1-D or 2-D float32 file as a borrowed matrix over a read-only memory mapping (no copy: unmapped when the last
// copy of the matrix goes away); a 1-D array is one row. Throws Error naming the file when it is not such a file,
// or when it is shorter or longer than its header's shape says (a damaged cache entry).
Matrix mapNpy(const std::filesystem::path& path, Layout layout = Layout::BinsByFrames);

}  // namespace sonolab
