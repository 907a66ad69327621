#include "core/util/Npy.h"

#include "core/util/AtomicFile.h"
#include "core/util/Error.h"

#include <cstring>
#include <fstream>
#include <numeric>
#include <regex>
#include <string>

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

NpyArray readNpy(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw fileError(path, "cannot open file");
    char magic[6];
    unsigned char version[2];
    in.read(magic, 6);
    in.read(reinterpret_cast<char*>(version), 2);
    if (!in || std::memcmp(magic, kMagic, 6) != 0) throw fileError(path, "not a NumPy .npy file");
    std::size_t headerLen = 0;
    if (version[0] == 1) {
        unsigned char l[2];
        in.read(reinterpret_cast<char*>(l), 2);
        headerLen = l[0] | (l[1] << 8);
    } else {
        unsigned char l[4];
        in.read(reinterpret_cast<char*>(l), 4);
        headerLen = l[0] | (l[1] << 8) | (l[2] << 16) | (std::size_t(l[3]) << 24);
    }
    std::string header(headerLen, '\0');
    in.read(header.data(), static_cast<std::streamsize>(headerLen));
    if (!in) throw fileError(path, "truncated .npy header");
    if (header.find("'<f4'") == std::string::npos) throw fileError(path, "only little-endian float32 .npy files are supported");
    if (header.find("'fortran_order': True") != std::string::npos) throw fileError(path, "Fortran-ordered arrays are not supported");
    std::smatch m;
    if (!std::regex_search(header, m, std::regex(R"('shape':\s*\(([^)]*)\))"))) throw fileError(path, "no shape in .npy header");
    NpyArray arr;
    std::string dims = m[1];
    static const std::regex number(R"(\d+)");
    for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it)
        arr.shape.push_back(std::stoull(it->str()));
    arr.data.resize(elementCount(arr.shape));
    in.read(reinterpret_cast<char*>(arr.data.data()), static_cast<std::streamsize>(arr.data.size() * sizeof(float)));
    if (!in) throw fileError(path, "truncated .npy data");
    return arr;
}

}  // namespace sonolab
