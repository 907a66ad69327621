#include "core/util/Npy.h"

#include "core/util/AtomicFile.h"
#include "core/util/Error.h"
#include "core/util/MappedFile.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

namespace sonolab {
namespace {

constexpr char kMagic[] = "\x93NUMPY";

std::string shapeText(std::span<const std::size_t> shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        s += std::to_string(shape[i]);
        if (shape.size() == 1 || i + 1 < shape.size()) s += ",";
        if (i + 1 < shape.size()) s += " ";
    }
    return s + ")";
}

std::size_t elementCount(std::span<const std::size_t> shape) {
    return std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
}

// Maps a .npy file, refusing one too short for a header before anything is parsed.
std::shared_ptr<const MappedFile> mapNpyFile(const std::filesystem::path& path) {
    auto file = mapFile(path);
    if (file->size() < 12) throw fileError(path, "not a NumPy .npy file (too short for a header)");
    return file;
}

// What a .npy header says, checked against the file before anything is read or allocated from it.
struct NpyHeader {
    std::vector<std::size_t> shape;
    std::size_t count = 0;       // values (product of the shape)
    std::size_t dataOffset = 0;  // where the values start
};
// NumPy (>= 1.24) refuses longer headers by default; Sonolab's are 118 bytes.
constexpr std::size_t kMaxNpyHeaderBytes = 10000;

// `start`: the file's first bytes (at least its whole header); `fileSize`: its size. Throws Error naming `file` when
// it is not a .npy file, its version is unknown, its header is too long or runs past the end, the values are not
// '<f4' in C order, the shape is malformed or overflows, or the file does not hold exactly the values the shape needs.
NpyHeader parseNpyHeader(std::span<const std::byte> start, std::uint64_t fileSize, const std::filesystem::path& file) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(start.data());
    if (start.size() < 10 || std::memcmp(bytes, kMagic, 6) != 0) throw fileError(file, "not a NumPy .npy file");
    const unsigned version = bytes[6];
    std::size_t headerLen = 0, offset = 0;
    if (version == 1) {
        headerLen = bytes[8] | (std::size_t(bytes[9]) << 8);
        offset = 10;
    } else if (version == 2 || version == 3) {
        if (start.size() < 12) throw fileError(file, "truncated .npy header");
        headerLen = bytes[8] | (std::size_t(bytes[9]) << 8) | (std::size_t(bytes[10]) << 16) | (std::size_t(bytes[11]) << 24);
        offset = 12;
    } else {
        throw fileError(file, "unknown .npy format version " + std::to_string(version));
    }
    if (headerLen > kMaxNpyHeaderBytes)
        throw fileError(file, ".npy header of " + std::to_string(headerLen) + " bytes (at most " +
                                  std::to_string(kMaxNpyHeaderBytes) + " are read)");
    if (offset + headerLen > start.size() || offset + headerLen > fileSize) throw fileError(file, "truncated .npy header");
    const std::string header(reinterpret_cast<const char*>(bytes + offset), headerLen);
    if (header.find("'<f4'") == std::string::npos) throw fileError(file, "only little-endian float32 .npy files are supported");
    if (header.find("'fortran_order': True") != std::string::npos) throw fileError(file, "Fortran-ordered arrays are not supported");

    // "'shape': (a, b, )": numbers separated by commas and spaces.
    const auto key = header.find("'shape'");
    const auto open = key == std::string::npos ? key : header.find('(', key);
    const auto close = open == std::string::npos ? open : header.find(')', open);
    if (close == std::string::npos) throw fileError(file, "no shape in .npy header");
    NpyHeader h;
    h.count = 1;
    for (std::size_t i = open + 1; i < close;) {
        if (header[i] == ' ' || header[i] == ',' || header[i] == 'L') {  // 'L': Python 2's long suffix
            ++i;
            continue;
        }
        std::size_t dim = 0;
        const auto [end, ec] = std::from_chars(header.data() + i, header.data() + close, dim);
        if (ec == std::errc::result_out_of_range) throw fileError(file, ".npy shape dimension out of range");
        if (ec != std::errc()) throw fileError(file, "malformed shape in .npy header");
        i = std::size_t(end - header.data());
        h.shape.push_back(dim);
        // The byte count must fit too: a shape whose product wraps around would pass the size check below.
        if (dim != 0 && h.count > std::numeric_limits<std::size_t>::max() / sizeof(float) / dim)
            throw fileError(file, ".npy shape " + shapeText(h.shape) + "... is too large");
        h.count *= dim;
    }
    h.dataOffset = offset + headerLen;
    const std::uint64_t dataBytes = fileSize - h.dataOffset;
    if (dataBytes != std::uint64_t(h.count) * sizeof(float))
        throw fileError(file, "truncated or damaged .npy data: " + std::to_string(dataBytes) + " data bytes for shape " +
                                  shapeText(h.shape) + ", which needs " + std::to_string(h.count * sizeof(float)));
    return h;
}

struct NpyLayout {
    std::vector<std::size_t> shape;
    const float* data = nullptr;
    std::size_t count = 0;
};

// The one .npy reader over a mapped file (readNpy and mapNpy): the checked header, then the values in place.
NpyLayout parseNpy(const MappedFile& file, const std::filesystem::path& path) {
    const NpyHeader h = parseNpyHeader(file.bytes(), file.size(), path);
    if (h.dataOffset % alignof(float) != 0) throw fileError(path, "misaligned .npy data");
    return {h.shape, reinterpret_cast<const float*>(file.bytes().data() + h.dataOffset), h.count};
}

}  // namespace

std::vector<std::byte> encodeNpy(std::span<const float> data, std::span<const std::size_t> shape) {
    if (elementCount(shape) != data.size()) throw Error("npy", "shape does not match the number of values");
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText(shape) + ", }";
    // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in '\n'.
    std::size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::vector<std::byte> out(10 + header.size() + data.size_bytes());
    std::memcpy(out.data(), kMagic, 6);
    out[6] = std::byte{1};
    out[7] = std::byte{0};
    auto len = static_cast<std::uint16_t>(header.size());
    out[8] = std::byte(len & 0xff);
    out[9] = std::byte(len >> 8);
    std::memcpy(out.data() + 10, header.data(), header.size());
    if (!data.empty()) std::memcpy(out.data() + 10 + header.size(), data.data(), data.size_bytes());
    return out;
}

void writeNpy(const std::filesystem::path& path, std::span<const float> data, std::span<const std::size_t> shape) {
    writeFileAtomically(path, encodeNpy(data, shape));
}

void writeNpy(const std::filesystem::path& path, const Matrix& matrix) {
    writeNpy(path, matrix.values(), matrix.npyShape());
}

NpyArray readNpy(const std::filesystem::path& path) {
    const auto file = mapNpyFile(path);
    const NpyLayout npy = parseNpy(*file, path);
    return {npy.shape, std::vector<float>(npy.data, npy.data + npy.count)};
}

Matrix mapNpy(const std::filesystem::path& path, Layout layout) {
    auto file = mapNpyFile(path);
    const NpyLayout npy = parseNpy(*file, path);
    try {
        return Matrix::borrowed({npy.data, npy.count}, npy.shape, layout, std::move(file));
    } catch (const Error& e) {
        throw fileError(path, e.problem());
    }
}

}  // namespace sonolab
