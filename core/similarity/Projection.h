#pragma once
// 2-D maps of a collection: PCA (instant) and t-SNE (exact gradient, O(n^2) per iteration: fine for a few thousand
// tracks, run on a worker thread with Progress).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sonolab {
struct Progress;
}

namespace sonolab::similarity {

class EmbeddingMatrix;

struct Point2 {
    float x = 0, y = 0;
};

// Projection on the two leading principal components (power iteration with deflation on the covariance).
std::vector<Point2> pca2d(const EmbeddingMatrix& vectors);

struct TsneParams {
    double perplexity = 30;  // clamped below (n - 1) / 3 for small collections
    int iterations = 750;
    double learningRate = 200;
    double earlyExaggeration = 12;
    std::uint64_t seed = 1;
};
// Throws Cancelled when progress asks to stop.
std::vector<Point2> tsne2d(const EmbeddingMatrix& vectors, const TsneParams& params = {},
                           const Progress* progress = nullptr);

}  // namespace sonolab::similarity
