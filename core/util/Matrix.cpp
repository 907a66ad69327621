#include "core/util/Matrix.h"

#include "core/util/Error.h"

#include <algorithm>
#include <string>
#include <utility>

namespace sonolab {
namespace {

void checkCount(std::size_t count, std::size_t rows, std::size_t cols) {
    if (count != rows * cols)
        throw Error("matrix", std::to_string(count) + " values for a shape of " + std::to_string(rows) + " x " +
                                  std::to_string(cols));
}

}  // namespace

Matrix::Matrix(std::size_t rows, std::size_t cols, Layout layout)
    : rows_(rows), cols_(cols), layout_(layout), owned_(rows * cols, 0.0f) {}

Matrix::Matrix(std::vector<float> values, std::size_t rows, std::size_t cols, Layout layout)
    : rows_(rows), cols_(cols), layout_(layout), owned_(std::move(values)) {
    checkCount(owned_.size(), rows, cols);
}

Matrix::Matrix(Matrix&& other) noexcept { *this = std::move(other); }

Matrix& Matrix::operator=(Matrix&& other) noexcept {
    if (this == &other) return *this;
    rows_ = std::exchange(other.rows_, 0);
    cols_ = std::exchange(other.cols_, 0);
    layout_ = other.layout_;
    oneDimensional_ = std::exchange(other.oneDimensional_, false);
    owned_ = std::move(other.owned_);
    other.owned_.clear();
    borrowed_ = std::exchange(other.borrowed_, nullptr);
    keeper_ = std::move(other.keeper_);
    return *this;
}

void Matrix::setShape(std::span<const std::size_t> shape, std::size_t count) {
    if (shape.size() != 1 && shape.size() != 2)
        throw Error("matrix", "an array of " + std::to_string(shape.size()) + " dimensions is not a matrix");
    oneDimensional_ = shape.size() == 1;
    rows_ = oneDimensional_ ? 1 : shape[0];
    cols_ = shape.back();
    checkCount(count, rows_, cols_);
}

Matrix Matrix::fromNpyShape(std::vector<float> values, std::span<const std::size_t> shape, Layout layout) {
    Matrix m;
    m.setShape(shape, values.size());
    m.layout_ = layout;
    m.owned_ = std::move(values);
    return m;
}

Matrix Matrix::borrowed(std::span<const float> values, std::span<const std::size_t> shape, Layout layout,
                        std::shared_ptr<const void> keeper) {
    if (!keeper) throw Error("matrix", "borrowed values need an owner that keeps them alive");
    Matrix m;
    m.setShape(shape, values.size());
    m.layout_ = layout;
    // An empty span may have no address; an empty matrix then reads from owned_ (also empty).
    m.borrowed_ = values.empty() ? nullptr : values.data();
    m.keeper_ = std::move(keeper);
    return m;
}

Matrix Matrix::column(std::vector<float> values) {
    const std::size_t n = values.size();
    return Matrix(std::move(values), n, 1, Layout::BinsByFrames);
}

void Matrix::requireLayout(Layout expected, std::string_view what) const {
    if (layout_ == expected) return;
    throw Error(std::string(what), expected == Layout::FramesByBins
                                       ? "needs a frames x bins matrix (one frame per row), got bins x frames"
                                       : "needs a bins x frames matrix (one band per row), got frames x bins");
}

std::span<float> Matrix::mutableValues() {
    if (keeper_) throw Error("matrix", "borrowed values (a mapped file) are read-only");
    return {owned_.data(), size()};
}

Matrix Matrix::transposed() const {
    Matrix out(cols_, rows_, layout_ == Layout::FramesByBins ? Layout::BinsByFrames : Layout::FramesByBins);
    const float* in = data();
    for (std::size_t r = 0; r < rows_; ++r)
        for (std::size_t c = 0; c < cols_; ++c) out.owned_[c * rows_ + r] = in[r * cols_ + c];
    return out;
}

std::vector<std::size_t> Matrix::npyShape() const {
    if (oneDimensional_) return {cols_};
    return {rows_, cols_};
}

std::vector<float> Matrix::takeValues() && {
    std::vector<float> out = borrowed_ ? std::vector<float>(borrowed_, borrowed_ + size()) : std::move(owned_);
    *this = Matrix();
    return out;
}

bool Matrix::operator==(const Matrix& other) const {
    const auto a = values(), b = other.values();
    return npyShape() == other.npyShape() && layout_ == other.layout_ && std::equal(a.begin(), a.end(), b.begin(), b.end());
}

Matrix stackBins(std::span<const Matrix* const> parts) {
    if (parts.empty()) return {};
    const Layout layout = parts.front()->layout();
    const std::size_t frames = parts.front()->frames();
    std::size_t bins = 0;
    for (const Matrix* p : parts) {
        if (p->layout() != layout || p->frames() != frames)
            throw Error("matrix", "cannot stack parts of different layouts or lengths (" + std::to_string(p->frames()) +
                                      " frames against " + std::to_string(frames) + ")");
        bins += p->bins();
    }
    if (layout == Layout::BinsByFrames) {  // one part after the other
        std::vector<float> values;
        values.reserve(bins * frames);
        for (const Matrix* p : parts) values.insert(values.end(), p->values().begin(), p->values().end());
        return Matrix(std::move(values), bins, frames, layout);
    }
    Matrix out(frames, bins, layout);  // each frame's row: the parts' rows side by side
    for (std::size_t f = 0; f < frames; ++f) {
        float* dst = out.mutableRow(f).data();
        for (const Matrix* p : parts) dst = std::copy_n(p->row(f).data(), p->bins(), dst);
    }
    return out;
}

}  // namespace sonolab
