#pragma once
// The one matrix of floats in Sonolab: a spectrogram (dsp), onset features (onsets), a feature-cache entry
// (features, extraction) and a model's input (ml, where it is called ml::FeatureMatrix). Row-major, rows x cols,
// with an explicit layout that says which axis is time, and storage that is either
//   owned     a std::vector<float> (what dsp and onsets compute; copies copy the values), or
//   borrowed  read-only values kept alive by a shared owner, e.g. a memory-mapped .npy file (mapNpy in Npy.h):
//             copies share the values, and the file is unmapped when the last copy goes away.
// A feature-cache entry is therefore used by training as it lies in the page cache, with no copy on the way.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace sonolab {

// Which axis is time.
//  FramesByBins  row f is frame f, contiguous: what streaming computes (an STFT frame, a mel frame) and what a
//                recurrent network steps through (onset features, frames x dims).
//  BinsByFrames  row b is one band over time: librosa's and the feature cache's (bands, frames), what a CNN crops.
//                Matrices without a time axis (rp's bands x modulation, ssd, a summary vector) use it too: their
//                columns are what a model crops.
enum class Layout : std::uint8_t { BinsByFrames, FramesByBins };

class Matrix {
public:
    Matrix() = default;
    // rows x cols zeros, owned.
    Matrix(std::size_t rows, std::size_t cols, Layout layout);
    // Owned values, row-major; throws Error when values.size() != rows * cols.
    Matrix(std::vector<float> values, std::size_t rows, std::size_t cols, Layout layout);
    // A flat vector as one column (n x 1, BinsByFrames): a per-track summary as a model takes it.
    static Matrix column(std::vector<float> values);
    // Shapes as .npy files have them: (rows, cols), or (n,) for a 1-D array, held as one row and given back as
    // (n,) by npyShape(). Other ranks, and a count that does not match, throw Error.
    //   owned values (e.g. a feature just computed, in the feature cache's (bands, frames) convention)
    static Matrix fromNpyShape(std::vector<float> values, std::span<const std::size_t> shape,
                               Layout layout = Layout::BinsByFrames);
    //   borrowed read-only values that `keeper` keeps alive (e.g. a memory mapping: see mapNpy in Npy.h)
    static Matrix borrowed(std::span<const float> values, std::span<const std::size_t> shape, Layout layout,
                           std::shared_ptr<const void> keeper);
    // Copies copy owned values and share borrowed ones; a moved-from matrix is empty.
    Matrix(const Matrix&) = default;
    Matrix& operator=(const Matrix&) = default;
    Matrix(Matrix&& other) noexcept;
    Matrix& operator=(Matrix&& other) noexcept;
    ~Matrix() = default;

    std::size_t rows() const { return rows_; }
    std::size_t cols() const { return cols_; }
    std::size_t size() const { return rows_ * cols_; }
    bool empty() const { return size() == 0; }
    Layout layout() const { return layout_; }
    // Length of the time axis (rows or columns by layout), and of the other one (bands, bins, dims).
    std::size_t frames() const { return layout_ == Layout::FramesByBins ? rows_ : cols_; }
    std::size_t bins() const { return layout_ == Layout::FramesByBins ? cols_ : rows_; }
    bool isBorrowed() const { return keeper_ != nullptr; }
    // For code that walks rows as frames (or as bands): throws Error naming `what` when the layout differs.
    void requireLayout(Layout expected, std::string_view what) const;

    std::span<const float> values() const { return {data(), size()}; }
    std::span<const float> row(std::size_t r) const { return {data() + r * cols_, cols_}; }
    // Writable values of an owned matrix (named apart, so reading a non-const borrowed matrix never trips on them).
    // Throws Error for borrowed ones (a mapped file is read-only).
    std::span<float> mutableValues();
    std::span<float> mutableRow(std::size_t r) { return mutableValues().subspan(r * cols_, cols_); }
    float at(std::size_t r, std::size_t c) const { return data()[r * cols_ + c]; }

    // The same numbers in the other layout (a new owned matrix): (frames, bins) <-> (bins, frames).
    Matrix transposed() const;
    // The shape a .npy file of these values has: (rows, cols), or (cols,) for a matrix made from a 1-D array.
    std::vector<std::size_t> npyShape() const;
    // The values as a vector: moved out of an owned matrix, copied from a borrowed one.
    std::vector<float> takeValues() &&;

    // Same shape, layout and values (however stored).
    bool operator==(const Matrix& other) const;

private:
    void setShape(std::span<const std::size_t> shape, std::size_t count);
    const float* data() const { return borrowed_ ? borrowed_ : owned_.data(); }

    std::size_t rows_ = 0, cols_ = 0;
    Layout layout_ = Layout::BinsByFrames;
    bool oneDimensional_ = false;
    std::vector<float> owned_;
    const float* borrowed_ = nullptr;  // set for borrowed storage, which keeper_ keeps alive
    std::shared_ptr<const void> keeper_;
};

// Matrices of one layout and frame count joined along the bins axis, in order: numpy's hstack of (frames, dims)
// parts (onset features of several resolutions), vstack of (bands, frames) ones (a siamese pair's two items).
// Throws Error when layouts or frame counts differ. No parts: an empty matrix. (Pointers, so that matrices held
// anywhere are stacked without being copied first.)
Matrix stackBins(std::span<const Matrix* const> parts);

}  // namespace sonolab
