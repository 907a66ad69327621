#pragma once
// NumPy .npy files (format 1.0, little-endian float32, C order): the exchange format for features and embeddings,
// so any Python user can np.load() what Sonolab writes.
#include <cstddef>
#include <cstdint>
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
// What a .npy header says, checked against the file before anything is allocated from it.
struct NpyHeader {
    std::vector<std::size_t> shape;
    std::size_t count = 0;       // values (product of the shape)
    std::size_t dataOffset = 0;  // where the values start
};
// NumPy (>= 1.24) refuses longer headers by default; Sonolab's are 118 bytes.
constexpr std::size_t kMaxNpyHeaderBytes = 10000;
// `start`: the file's first bytes (at least its whole header, or the whole file when it is shorter); `fileSize`: its
// size. Throws Error naming `file` when it is not a .npy file, its version is unknown, its header is longer than
// kMaxNpyHeaderBytes or runs past the end, the values are not '<f4' in C order, the shape is malformed or
// overflows, or the file does not hold exactly the values the shape needs.
NpyHeader parseNpyHeader(std::span<const std::byte> start, std::uint64_t fileSize, const std::filesystem::path& file);

// Reads float32 ('<f4') files written by Sonolab or NumPy; throws Error naming the file otherwise.
NpyArray readNpy(const std::filesystem::path& path);

}  // namespace sonolab
