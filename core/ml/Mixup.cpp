#include "core/ml/Mixup.h"

#include "core/util/Error.h"

#include <algorithm>
#include <numeric>

namespace sonolab::ml {

MixupDraw drawMixup(std::size_t count, double alpha, std::mt19937_64& rng) {
    if (!(alpha > 0)) throw Error("mixup", "alpha must be positive");
    std::gamma_distribution<double> gamma(alpha, 1.0);
    const double x = gamma(rng), y = gamma(rng);
    MixupDraw d;
    d.lambda = x + y > 0 ? float(x / (x + y)) : 1.0f;
    d.partner.resize(count);
    std::iota(d.partner.begin(), d.partner.end(), std::size_t(0));
    for (std::size_t i = count; i > 1; --i) std::swap(d.partner[i - 1], d.partner[rng() % i]);
    return d;
}

namespace {

// Rows mixed with their partners' rows; the originals are read from a copy, since a partner may come earlier.
void mixRows(const MixupDraw& d, float* rows, std::size_t width) {
    const std::size_t n = d.partner.size();
    const std::vector<float> original(rows, rows + n * width);
    const float a = d.lambda, b = 1.0f - d.lambda;
    for (std::size_t i = 0; i < n; ++i) {
        const float* own = original.data() + i * width;
        const float* other = original.data() + d.partner[i] * width;
        float* out = rows + i * width;
        for (std::size_t k = 0; k < width; ++k) out[k] = a * own[k] + b * other[k];
    }
}

}  // namespace

void applyMixup(const MixupDraw& draw, float* inputs, std::size_t inputSize, float* targets, std::size_t outputs) {
    for (std::size_t p : draw.partner)
        if (p >= draw.partner.size()) throw Error("mixup", "a partner outside the batch");
    mixRows(draw, inputs, inputSize);
    mixRows(draw, targets, outputs);
}

}  // namespace sonolab::ml
