#include "core/dsp/Deltas.h"

#include "core/util/Error.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sonolab::dsp {
namespace {

// Least-squares polynomial fit of degree p to samples at positions x = 0..w-1 (relative), then the `order`-th
// derivative of the fit evaluated at position `at`: returns the weights so that result = sum weights[i] * y[i].
std::vector<double> derivativeWeights(int w, int p, int order, double at) {
    // Normal equations A^T A c = A^T y, A[i][j] = x_i^j. weights = e^T (A^T A)^{-1} A^T where e picks d^order/dx^order.
    const int n = p + 1;
    std::vector<double> ata(n * n, 0.0);
    for (int i = 0; i < w; ++i)
        for (int r = 0; r < n; ++r)
            for (int c = 0; c < n; ++c) ata[r * n + c] += std::pow(double(i), r + c);
    // Invert by Gauss-Jordan (n <= 3 here).
    std::vector<double> inv(n * n, 0.0);
    for (int i = 0; i < n; ++i) inv[i * n + i] = 1.0;
    for (int col = 0; col < n; ++col) {
        int pivot = col;
        for (int r = col + 1; r < n; ++r)
            if (std::abs(ata[r * n + col]) > std::abs(ata[pivot * n + col])) pivot = r;
        for (int c = 0; c < n; ++c) std::swap(ata[col * n + c], ata[pivot * n + c]), std::swap(inv[col * n + c], inv[pivot * n + c]);
        const double d = ata[col * n + col];
        for (int c = 0; c < n; ++c) ata[col * n + c] /= d, inv[col * n + c] /= d;
        for (int r = 0; r < n; ++r) {
            if (r == col) continue;
            const double f = ata[r * n + col];
            for (int c = 0; c < n; ++c) ata[r * n + c] -= f * ata[col * n + c], inv[r * n + c] -= f * inv[col * n + c];
        }
    }
    // d^order/dx^order of sum c_j x^j at `at`: e_j = j!/(j-order)! at^(j-order).
    std::vector<double> e(n, 0.0);
    for (int j = order; j < n; ++j) {
        double f = 1;
        for (int q = 0; q < order; ++q) f *= (j - q);
        e[j] = f * std::pow(at, j - order);
    }
    std::vector<double> weights(w, 0.0);
    for (int i = 0; i < w; ++i)
        for (int r = 0; r < n; ++r) {
            double coef = 0;
            for (int c = 0; c < n; ++c) coef += e[c] * inv[c * n + r];
            weights[i] += coef * std::pow(double(i), r);
        }
    return weights;
}

}  // namespace

Spectrogram deltas(const Spectrogram& in, const DeltaParams& p) {
    if (p.width < 3 || p.width % 2 == 0) throw Error("delta", "width must be an odd integer >= 3");
    if (p.order < 1 || p.order >= p.width) throw Error("delta", "order must be in 1..width-1");
    Spectrogram out;
    out.frames = in.frames;
    out.bins = in.bins;
    out.values.assign(in.values.size(), 0.0f);
    const long long n = static_cast<long long>(in.frames), w = p.width, half = w / 2;
    if (n == 0) return out;
    const auto centre = derivativeWeights(p.width, p.order, p.order, double(half));
    const bool interp = n >= w;
    std::vector<std::vector<double>> edge;  // weights for the first/last half positions
    std::vector<std::vector<double>> tail;  // and for the last half positions (w-half .. w-1 in the last window)
    if (interp)
        for (long long i = 0; i < half; ++i) {
            edge.push_back(derivativeWeights(p.width, p.order, p.order, double(i)));
            tail.push_back(derivativeWeights(p.width, p.order, p.order, double(w - half + i)));
        }
    for (long long t = 0; t < n; ++t) {
        float* o = out.values.data() + t * in.bins;
        if (interp && t < half) {
            for (long long i = 0; i < w; ++i)
                for (std::size_t b = 0; b < in.bins; ++b) o[b] += float(edge[t][i] * in.values[i * in.bins + b]);
        } else if (interp && t >= n - half) {
            const auto& weights = tail[static_cast<std::size_t>(t - (n - half))];  // last window, fitted forward
            for (long long i = 0; i < w; ++i)
                for (std::size_t b = 0; b < in.bins; ++b)
                    o[b] += float(weights[i] * in.values[(n - w + i) * in.bins + b]);
        } else {
            for (long long i = 0; i < w; ++i) {
                const long long src = std::clamp(t - half + i, 0LL, n - 1);  // "nearest" when too short
                for (std::size_t b = 0; b < in.bins; ++b) o[b] += float(centre[i] * in.values[src * in.bins + b]);
            }
        }
    }
    return out;
}

}  // namespace sonolab::dsp
