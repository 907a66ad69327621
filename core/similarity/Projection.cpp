#include "core/similarity/Projection.h"

#include "core/similarity/EmbeddingMatrix.h"
#include "core/util/Progress.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace sonolab::similarity {

std::vector<Point2> pca2d(const EmbeddingMatrix& vectors) {
    const std::size_t n = vectors.rows(), d = vectors.dim();
    std::vector<Point2> out(n);
    if (n == 0 || d == 0) return out;
    std::vector<double> mean(d, 0.0);
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t j = 0; j < d; ++j) mean[j] += vectors.row(r)[j];
    for (double& m : mean) m /= double(n);
    std::vector<double> centred(n * d);
    for (std::size_t r = 0; r < n; ++r)
        for (std::size_t j = 0; j < d; ++j) centred[r * d + j] = vectors.row(r)[j] - mean[j];
    // Power iteration on X^T X through X (never forming the d x d covariance: d may be 1608).
    std::vector<std::vector<double>> components;
    std::mt19937_64 rng(7);
    std::normal_distribution<double> g;
    for (int c = 0; c < 2 && c < int(d); ++c) {
        std::vector<double> v(d), xv(n), next(d);
        for (double& x : v) x = g(rng);
        for (int it = 0; it < 200; ++it) {
            for (const auto& p : components) {  // deflate
                double dot = 0;
                for (std::size_t j = 0; j < d; ++j) dot += v[j] * p[j];
                for (std::size_t j = 0; j < d; ++j) v[j] -= dot * p[j];
            }
            double norm = 0;
            for (double x : v) norm += x * x;
            norm = std::sqrt(norm);
            if (norm == 0) break;
            for (double& x : v) x /= norm;
            for (std::size_t r = 0; r < n; ++r) {
                double s = 0;
                for (std::size_t j = 0; j < d; ++j) s += centred[r * d + j] * v[j];
                xv[r] = s;
            }
            std::fill(next.begin(), next.end(), 0.0);
            for (std::size_t r = 0; r < n; ++r)
                for (std::size_t j = 0; j < d; ++j) next[j] += centred[r * d + j] * xv[r];
            double change = 0, nextNorm = 0;
            for (double x : next) nextNorm += x * x;
            nextNorm = std::sqrt(nextNorm);
            if (nextNorm == 0) break;
            for (std::size_t j = 0; j < d; ++j) {
                next[j] /= nextNorm;
                change += std::abs(next[j] - v[j]);
            }
            v.swap(next);
            if (change < 1e-9) break;
        }
        // A fixed sign (largest-magnitude coordinate positive) so the map does not flip between runs.
        const auto big = std::max_element(v.begin(), v.end(), [](double a, double b) { return std::abs(a) < std::abs(b); });
        if (*big < 0)
            for (double& x : v) x = -x;
        components.push_back(v);
    }
    for (std::size_t r = 0; r < n; ++r) {
        double c[2] = {0, 0};
        for (std::size_t k = 0; k < components.size(); ++k)
            for (std::size_t j = 0; j < d; ++j) c[k] += centred[r * d + j] * components[k][j];
        out[r] = {float(c[0]), float(c[1])};
    }
    return out;
}

std::vector<Point2> tsne2d(const EmbeddingMatrix& vectors, const TsneParams& params, const Progress* progress) {
    const std::size_t n = vectors.rows();
    std::vector<Point2> out(n);
    if (n < 3) return pca2d(vectors);
    // Squared distances.
    std::vector<double> d2(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            double s = 0;
            auto a = vectors.row(i), b = vectors.row(j);
            for (std::size_t k = 0; k < a.size(); ++k) s += (double(a[k]) - b[k]) * (double(a[k]) - b[k]);
            d2[i * n + j] = d2[j * n + i] = s;
        }
    // Conditional probabilities with a per-point bandwidth matching the perplexity (binary search on beta).
    const double perplexity = std::min(params.perplexity, std::max(1.0, double(n - 1) / 3.0));
    const double target = std::log(perplexity);
    std::vector<double> P(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        double lo = 0, hi = 1e300, beta = 1.0;
        double minD = 1e300;
        for (std::size_t j = 0; j < n; ++j)
            if (j != i) minD = std::min(minD, d2[i * n + j]);
        for (int it = 0; it < 64; ++it) {
            double sum = 0, weighted = 0;
            for (std::size_t j = 0; j < n; ++j) {
                if (j == i) continue;
                const double p = std::exp(-beta * (d2[i * n + j] - minD));
                P[i * n + j] = p;
                sum += p;
                weighted += p * (d2[i * n + j] - minD);
            }
            const double entropy = std::log(sum) + beta * weighted / sum;
            for (std::size_t j = 0; j < n; ++j) P[i * n + j] /= sum;
            if (std::abs(entropy - target) < 1e-5) break;
            if (entropy > target) {
                lo = beta;
                beta = hi >= 1e300 ? beta * 2 : (beta + hi) / 2;
            } else {
                hi = beta;
                beta = (beta + lo) / 2;
            }
        }
    }
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            const double p = std::max((P[i * n + j] + P[j * n + i]) / (2.0 * double(n)), 1e-12);
            P[i * n + j] = P[j * n + i] = p;
        }
    std::mt19937_64 rng(params.seed);
    std::normal_distribution<double> g(0.0, 1e-4);
    std::vector<double> Y(n * 2), gains(n * 2, 1.0), update(n * 2, 0.0), grad(n * 2), num(n * n);
    for (double& y : Y) y = g(rng);
    const int exaggerationEnd = std::min(250, params.iterations / 3);
    for (int iter = 0; iter < params.iterations; ++iter) {
        if (progress && iter % 10 == 0) {
            (*progress)(iter, params.iterations, "t-SNE");
            progress->throwIfCancelled();
        }
        const double exaggeration = iter < exaggerationEnd ? params.earlyExaggeration : 1.0;
        const double momentum = iter < exaggerationEnd ? 0.5 : 0.8;
        double sumQ = 0;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = i + 1; j < n; ++j) {
                const double dx = Y[2 * i] - Y[2 * j], dy = Y[2 * i + 1] - Y[2 * j + 1];
                const double q = 1.0 / (1.0 + dx * dx + dy * dy);
                num[i * n + j] = num[j * n + i] = q;
                sumQ += 2 * q;
            }
        std::fill(grad.begin(), grad.end(), 0.0);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) {
                if (i == j) continue;
                const double q = num[i * n + j];
                const double m = (exaggeration * P[i * n + j] - q / sumQ) * q;
                grad[2 * i] += 4 * m * (Y[2 * i] - Y[2 * j]);
                grad[2 * i + 1] += 4 * m * (Y[2 * i + 1] - Y[2 * j + 1]);
            }
        for (std::size_t k = 0; k < 2 * n; ++k) {
            gains[k] = (grad[k] > 0) != (update[k] > 0) ? gains[k] + 0.2 : std::max(0.01, gains[k] * 0.8);
            update[k] = momentum * update[k] - params.learningRate * gains[k] * grad[k];
            Y[k] += update[k];
        }
        double mx = 0, my = 0;
        for (std::size_t i = 0; i < n; ++i) {
            mx += Y[2 * i];
            my += Y[2 * i + 1];
        }
        for (std::size_t i = 0; i < n; ++i) {
            Y[2 * i] -= mx / double(n);
            Y[2 * i + 1] -= my / double(n);
        }
    }
    if (progress) (*progress)(params.iterations, params.iterations, "t-SNE");
    for (std::size_t i = 0; i < n; ++i) out[i] = {float(Y[2 * i]), float(Y[2 * i + 1])};
    return out;
}

}  // namespace sonolab::similarity
