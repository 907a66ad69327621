#pragma once
// A float32 array read back from the feature cache: a read-only memory mapping of a .npy file that the matrix owns
// (unmapped when the last copy goes away), or plain owned values for freshly computed results. Cheap to move and
// to copy (copies share the mapping). The data are C-ordered with the .npy file's shape, e.g. (bands, frames).
#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

namespace sonolab::features {

class FeatureMatrix {
public:
    FeatureMatrix() = default;
    FeatureMatrix(std::vector<float> values, std::vector<std::size_t> shape);  // throws Error when they disagree

    // Maps a little-endian float32 C-order .npy file. Throws Error naming the file when it is not one, or when the
    // file is shorter or longer than its header's shape says (a damaged entry).
    static FeatureMatrix map(const std::filesystem::path& file);

    std::span<const float> data() const { return {data_, size_}; }
    const std::vector<std::size_t>& shape() const { return shape_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    bool isMapped() const { return mapped_; }
    // 2-D convenience: shape (rows, cols); a 1-D array is one row.
    std::size_t rows() const;
    std::size_t cols() const;
    float at(std::size_t r, std::size_t c) const { return data_[r * cols() + c]; }
    std::vector<float> toVector() const { return {data_, data_ + size_}; }

private:
    std::shared_ptr<const void> owner_;
    const float* data_ = nullptr;
    std::size_t size_ = 0;
    std::vector<std::size_t> shape_;
    bool mapped_ = false;
};

// The per-track summary of a (rows x cols) matrix: the mean of each row, then the standard deviation of each row
// (2 x rows values). Model inputs ("summary:") and the MFCC-statistics similarity space (whole tracks and windows)
// use this layout. Columns [firstCol, endCol) only, when given; an empty range gives zeros.
std::vector<float> rowMeanAndStd(const FeatureMatrix& m, std::size_t firstCol = 0,
                                 std::size_t endCol = std::size_t(-1));

}  // namespace sonolab::features
