#include "core/features/RowSummary.h"

#include <algorithm>
#include <cmath>

namespace sonolab::features {

std::vector<float> rowMeanAndStd(const Matrix& m, std::size_t firstCol, std::size_t endCol) {
    const std::size_t rows = m.rows(), cols = m.cols();
    const std::size_t end = std::min(endCol, cols), begin = std::min(firstCol, end);
    const double count = double(std::max<std::size_t>(1, end - begin));
    std::vector<float> v(rows * 2);
    for (std::size_t r = 0; r < rows; ++r) {
        const auto row = m.row(r);
        double s = 0, q = 0;
        for (std::size_t c = begin; c < end; ++c) {
            const double x = row[c];
            s += x;
            q += x * x;
        }
        const double mean = s / count;
        v[r] = float(mean);
        v[rows + r] = float(std::sqrt(std::max(0.0, q / count - mean * mean)));
    }
    return v;
}

Matrix modelInput(Matrix matrix, bool summary) {
    if (!summary) return matrix;
    return Matrix::column(rowMeanAndStd(matrix));
}

}  // namespace sonolab::features
