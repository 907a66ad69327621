#pragma once
// NumPy .npy files (format 1.0, little-endian float32, C order): the exchange format for features and embeddings,
// so any Python user can np.load() what Sonolab writes.
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
// Reads float32 ('<f4') files written by Sonolab or NumPy; throws Error naming the file otherwise.
NpyArray readNpy(const std::filesystem::path& path);

}  // namespace sonolab
