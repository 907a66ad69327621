#include "core/similarity/ZScore.h"

#include "core/similarity/EmbeddingMatrix.h"
#include "core/util/Error.h"

#include <cmath>

namespace sonolab::similarity {

ZScore ZScore::fit(const EmbeddingMatrix& matrix, std::span<const std::size_t> rows) {
    const std::size_t d = matrix.dim();
    std::vector<double> sum(d, 0.0), sumSq(d, 0.0), count(d, 0.0);
    auto add = [&](std::size_t r) {
        auto v = matrix.row(r);
        for (std::size_t j = 0; j < d; ++j)
            if (std::isfinite(v[j])) {
                sum[j] += v[j];
                sumSq[j] += double(v[j]) * v[j];
                count[j] += 1;
            }
    };
    if (rows.empty())
        for (std::size_t r = 0; r < matrix.rows(); ++r) add(r);
    else
        for (std::size_t r : rows) {
            if (r >= matrix.rows()) throw Error("z-score", "row " + std::to_string(r) + " is outside the collection");
            add(r);
        }
    ZScore z;
    z.mean_.resize(d);
    z.scale_.resize(d);
    for (std::size_t j = 0; j < d; ++j) {
        const double m = count[j] > 0 ? sum[j] / count[j] : 0.0;
        const double var = count[j] > 0 ? std::max(0.0, sumSq[j] / count[j] - m * m) : 0.0;
        const double sd = std::sqrt(var);
        z.mean_[j] = float(m);
        z.scale_[j] = sd > 1e-12 ? float(sd) : 1.0f;
    }
    return z;
}

void ZScore::apply(std::span<float> vector) const {
    if (vector.size() != mean_.size())
        throw Error("z-score", "vector has " + std::to_string(vector.size()) + " dimensions, fitted on " +
                                   std::to_string(mean_.size()));
    for (std::size_t j = 0; j < vector.size(); ++j) {
        const float z = (vector[j] - mean_[j]) / scale_[j];
        vector[j] = std::isfinite(z) ? z : 0.0f;
    }
}

void ZScore::apply(EmbeddingMatrix& matrix) const {
    for (std::size_t r = 0; r < matrix.rows(); ++r) apply(matrix.row(r));
}

}  // namespace sonolab::similarity
