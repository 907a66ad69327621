#include "core/util/Npy.h"

#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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

// A whole file mapped read-only, unmapped with the last shared owner; or, where the kernel refuses one more
// mapping (a process may hold only so many: vm.max_map_count), the file's bytes read into memory.
struct Mapping {
    void* address = MAP_FAILED;
    std::size_t length = 0;
    std::vector<unsigned char> copy;  // used when address is MAP_FAILED
    Mapping() = default;
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;
    ~Mapping() {
        if (address != MAP_FAILED) ::munmap(address, length);
    }
    const unsigned char* bytes() const {
        return address != MAP_FAILED ? static_cast<const unsigned char*>(address) : copy.data();
    }
};

void readWhole(int fd, std::vector<unsigned char>& out, const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::pread(fd, out.data() + done, out.size() - done, off_t(done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw fileError(path, std::string("cannot read file: ") + std::strerror(errno));
        if (n == 0) throw fileError(path, "file ended while it was being read");
        done += std::size_t(n);
    }
}

std::shared_ptr<const Mapping> mapFile(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw fileError(path, std::string("cannot open file: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        throw fileError(path, "cannot stat file");
    }
    auto mapping = std::make_shared<Mapping>();
    mapping->length = static_cast<std::size_t>(st.st_size);
    if (mapping->length < 12) {
        ::close(fd);
        throw fileError(path, "not a NumPy .npy file (too short for a header)");
    }
    mapping->address = ::mmap(nullptr, mapping->length, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapping->address == MAP_FAILED) {
        mapping->copy.resize(mapping->length);
        try {
            readWhole(fd, mapping->copy, path);
        } catch (...) {
            ::close(fd);
            throw;
        }
    }
    ::close(fd);  // a mapping stays valid
    return mapping;
}

// Parses "(a, b, )" from the header dictionary.
std::vector<std::size_t> parseShape(const std::string& header, const std::filesystem::path& path) {
    const auto key = header.find("'shape'");
    if (key == std::string::npos) throw fileError(path, "no shape in the .npy header");
    const auto open = header.find('(', key), close = header.find(')', key);
    if (open == std::string::npos || close == std::string::npos || close < open)
        throw fileError(path, "malformed shape in the .npy header");
    std::vector<std::size_t> shape;
    std::size_t i = open + 1;
    while (i < close) {
        while (i < close && (header[i] == ' ' || header[i] == ',')) ++i;
        if (i >= close) break;
        std::size_t v = 0;
        bool any = false;
        while (i < close && header[i] >= '0' && header[i] <= '9') v = v * 10 + std::size_t(header[i++] - '0'), any = true;
        if (!any) throw fileError(path, "malformed shape in the .npy header");
        shape.push_back(v);
    }
    return shape;
}

struct NpyLayout {
    std::vector<std::size_t> shape;
    const float* data = nullptr;
    std::size_t count = 0;
};

// The one .npy reader: checks magic, version, dtype, order and that the data are exactly what the shape needs.
NpyLayout parseNpy(const Mapping& file, const std::filesystem::path& path) {
    const unsigned char* bytes = file.bytes();
    if (std::memcmp(bytes, kMagic, 6) != 0) throw fileError(path, "not a NumPy .npy file");
    std::size_t headerLen = 0, offset = 0;
    if (bytes[6] == 1) {
        headerLen = bytes[8] | (bytes[9] << 8);
        offset = 10;
    } else if (bytes[6] == 2 || bytes[6] == 3) {
        headerLen = bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (std::size_t(bytes[11]) << 24);
        offset = 12;
    } else {
        throw fileError(path, "unknown .npy version " + std::to_string(bytes[6]));
    }
    if (offset + headerLen > file.length) throw fileError(path, "truncated .npy header");
    const std::string header(reinterpret_cast<const char*>(bytes + offset), headerLen);
    if (header.find("'<f4'") == std::string::npos)
        throw fileError(path, "only little-endian float32 .npy files are supported");
    if (header.find("'fortran_order': True") != std::string::npos)
        throw fileError(path, "Fortran-ordered arrays are not supported");
    NpyLayout out;
    out.shape = parseShape(header, path);
    out.count = elementCount(out.shape);
    const std::size_t dataOffset = offset + headerLen;
    if (dataOffset % alignof(float) != 0) throw fileError(path, "misaligned .npy data");
    if (file.length != dataOffset + out.count * sizeof(float))
        throw fileError(path, "damaged .npy file: " + std::to_string(file.length - dataOffset) +
                                  " data bytes for a shape that needs " + std::to_string(out.count * sizeof(float)));
    out.data = reinterpret_cast<const float*>(bytes + dataOffset);
    return out;
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
    const auto file = mapFile(path);
    const NpyLayout npy = parseNpy(*file, path);
    return {npy.shape, std::vector<float>(npy.data, npy.data + npy.count)};
}

Matrix mapNpy(const std::filesystem::path& path, Layout layout) {
    auto file = mapFile(path);
    const NpyLayout npy = parseNpy(*file, path);
    try {
        return Matrix::borrowed({npy.data, npy.count}, npy.shape, layout, std::move(file));
    } catch (const Error& e) {
        throw fileError(path, e.problem());
    }
}

}  // namespace sonolab
