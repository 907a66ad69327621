#pragma once
// Column-wise z-scoring of a space (the tutorial's StandardScaler before Euclidean search), fitted on one set of rows
// (ideally the training split) and applied to any vector. NaN/inf become 0 after scaling, as IS 2a does; a constant
// column scales by 1 so it contributes nothing instead of dividing by zero.
#include <cstddef>
#include <span>
#include <vector>

namespace sonolab::similarity {

class EmbeddingMatrix;

class ZScore {
public:
    // rows: which rows to fit on; empty = all.
    static ZScore fit(const EmbeddingMatrix& matrix, std::span<const std::size_t> rows = {});

    void apply(std::span<float> vector) const;
    void apply(EmbeddingMatrix& matrix) const;

    const std::vector<float>& mean() const noexcept { return mean_; }
    const std::vector<float>& scale() const noexcept { return scale_; }

private:
    std::vector<float> mean_, scale_;
};

}  // namespace sonolab::similarity
