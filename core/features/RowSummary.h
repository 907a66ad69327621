#pragma once
// The per-track summary of a (rows x cols) matrix: the mean of each row, then the standard deviation of each row
// (2 x rows values). Model inputs ("summary:") and the MFCC-statistics similarity space (whole tracks and windows)
// use this layout. Columns [firstCol, endCol) only, when given; an empty range gives zeros.
#include "core/util/Matrix.h"

#include <cstddef>
#include <vector>

namespace sonolab::features {

std::vector<float> rowMeanAndStd(const Matrix& m, std::size_t firstCol = 0, std::size_t endCol = std::size_t(-1));

// A model's input from a feature matrix (a cache entry): the matrix itself, still borrowing the mapped file (no
// copy), or, for a model that takes a per-track summary ("summary:" feature specs), rowMeanAndStd as one column.
Matrix modelInput(Matrix matrix, bool summary);

}  // namespace sonolab::features
