#include "core/features/FeatureMatrix.h"

#include "core/util/Error.h"
#include "core/util/Npy.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string>

namespace sonolab::features {
namespace {

struct Mapping {
    void* address = MAP_FAILED;
    std::size_t length = 0;
    ~Mapping() {
        if (address != MAP_FAILED) ::munmap(address, length);
    }
};

std::size_t product(const std::vector<std::size_t>& shape) {
    return std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
}

}  // namespace

FeatureMatrix::FeatureMatrix(std::vector<float> values, std::vector<std::size_t> shape) : shape_(std::move(shape)) {
    if (product(shape_) != values.size()) throw Error("feature matrix", "shape does not match the number of values");
    auto owned = std::make_shared<std::vector<float>>(std::move(values));
    data_ = owned->data();
    size_ = owned->size();
    owner_ = owned;
}

FeatureMatrix FeatureMatrix::map(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw fileError(file, std::string("cannot open feature file: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        throw fileError(file, "cannot stat feature file");
    }
    auto mapping = std::make_shared<Mapping>();
    mapping->length = static_cast<std::size_t>(st.st_size);
    if (mapping->length < 12) {
        ::close(fd);
        throw fileError(file, "damaged feature file: too short for a .npy header");
    }
    mapping->address = ::mmap(nullptr, mapping->length, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);  // the mapping stays valid
    if (mapping->address == MAP_FAILED) throw fileError(file, "cannot memory-map feature file");
    const auto* bytes = static_cast<const std::byte*>(mapping->address);
    NpyHeader header;
    try {
        header = parseNpyHeader({bytes, mapping->length}, mapping->length, file);
    } catch (const Error& e) {
        throw fileError(file, "damaged feature file: " + e.problem());
    }
    if (header.dataOffset % alignof(float) != 0) throw fileError(file, "damaged feature file: misaligned data");
    FeatureMatrix m;
    m.shape_ = std::move(header.shape);
    m.size_ = header.count;
    const std::size_t dataOffset = header.dataOffset;
    m.data_ = reinterpret_cast<const float*>(bytes + dataOffset);
    m.owner_ = mapping;
    m.mapped_ = true;
    return m;
}

std::size_t FeatureMatrix::rows() const {
    if (shape_.empty()) return size_ ? 1 : 0;
    return shape_.size() == 1 ? 1 : shape_[0];
}

std::size_t FeatureMatrix::cols() const {
    if (shape_.empty()) return size_;
    if (shape_.size() == 1) return shape_[0];
    return shape_[0] ? size_ / shape_[0] : 0;
}

std::vector<float> rowMeanAndStd(const FeatureMatrix& m, std::size_t firstCol, std::size_t endCol) {
    const std::size_t rows = m.rows(), cols = m.cols();
    const std::size_t end = std::min(endCol, cols), begin = std::min(firstCol, end);
    const double count = double(std::max<std::size_t>(1, end - begin));
    const auto data = m.data();
    std::vector<float> v(rows * 2);
    for (std::size_t r = 0; r < rows; ++r) {
        double s = 0, q = 0;
        for (std::size_t c = begin; c < end; ++c) {
            const double x = data[r * cols + c];
            s += x;
            q += x * x;
        }
        const double mean = s / count;
        v[r] = float(mean);
        v[rows + r] = float(std::sqrt(std::max(0.0, q / count - mean * mean)));
    }
    return v;
}

}  // namespace sonolab::features
